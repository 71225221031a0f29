package io.berth.chaos.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build the replicas run lives: the repository root holding bin/berth and cli/target. */
public final class BerthHome {
  private BerthHome() {}

  /** {@code -Dberth.home}, else the first directory up from the working directory with bin/berth. */
  public static Path find() {
    String configured = System.getProperty("berth.home");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("bin/berth"))) {
        if (!Files.isRegularFile(dir.resolve("cli/target/berth-cli.jar"))) {
          throw new IllegalStateException(dir.resolve("cli/target/berth-cli.jar")
              + " is missing: build the cli module first (make build)");
        }
        return dir;
      }
    }
    throw new IllegalStateException("no bin/berth above " + start + "; set -Dberth.home to the repository root");
  }
}
