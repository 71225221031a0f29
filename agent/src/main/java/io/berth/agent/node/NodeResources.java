package io.berth.agent.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine has, read from the JVM and /proc/meminfo. */
final class NodeResources {
  private NodeResources() {}

  static long cpuMillis() {
    return Runtime.getRuntime().availableProcessors() * 1000L;
  }

  static long memoryBytes() {
    return meminfo("MemTotal:");
  }

  static long availableMemoryBytes() {
    return meminfo("MemAvailable:");
  }

  /** Free fraction of the file system holding {@code dir} (1 when unknown). */
  static double freeDiskFraction(Path dir) {
    try {
      var store = Files.getFileStore(dir);
      return store.getTotalSpace() == 0 ? 1 : (double) store.getUsableSpace() / store.getTotalSpace();
    } catch (IOException e) {
      return 1;
    }
  }

  private static long meminfo(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return 0;
  }
}
