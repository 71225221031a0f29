package io.berth.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints the end of every process log of a local cluster when a test fails, so that a
 * failure on CI (whose temporary directories are gone afterwards) says why a process died.
 * It runs right after the test method, before {@code @AfterEach} stops the cluster and before
 * JUnit deletes a {@code @TempDir} holding it (a TestWatcher is called too late for both).
 */
public final class ClusterLogsOnFailure implements AfterTestExecutionCallback {
  private static final int LINES = 60;
  private final Supplier<Path> clusterDir;

  public ClusterLogsOnFailure(Supplier<Path> clusterDir) {
    this.clusterDir = clusterDir;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().filter(e -> !(e instanceof org.opentest4j.TestAbortedException)).isPresent()) {
      print();
    }
  }

  private void print() {
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
}
