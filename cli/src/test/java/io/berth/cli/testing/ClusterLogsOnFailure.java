package io.berth.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the end of every process log of a local cluster when a test fails, so that a
 * failure on CI (whose temporary directories are gone afterwards) says why a process died.
 */
public final class ClusterLogsOnFailure implements TestWatcher {
  private static final int LINES = 60;
  private final Supplier<Path> clusterDir;

  public ClusterLogsOnFailure(Supplier<Path> clusterDir) {
    this.clusterDir = clusterDir;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Path dir = clusterDir.get();
    Path logs = dir == null ? null : dir.resolve("logs");
    if (logs == null || !Files.isDirectory(logs)) {
      return;
    }
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        System.out.printf("---- last %d lines of %s ----%n", LINES, log);
        lines.subList(Math.max(0, lines.size() - LINES), lines.size()).forEach(System.out::println);
      }
    } catch (IOException e) {
      System.out.println("could not read the cluster's logs: " + e);
    }
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    testFailed(context, cause);
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {}
}
