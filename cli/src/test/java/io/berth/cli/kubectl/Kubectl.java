package io.berth.cli.kubectl;

import io.berth.apiserver.access.Kubeconfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl, run against one API server with its own kubeconfig and a fresh
 * discovery cache (kubectl caches discovery for hours, which would hide changes).
 */
public final class Kubectl {
  public static final Path BINARY = Path.of("/usr/bin/kubectl");

  private final Path kubeconfig;
  private final Path cacheDir;

  /** One kubectl run: exit code and what it printed. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** kubectl with a kubeconfig of its own, pointing at {@code serverUrl}. */
  public Kubectl(Path workDir, String serverUrl) throws IOException {
    this.kubeconfig = workDir.resolve("kubeconfig");
    this.cacheDir = Files.createDirectories(workDir.resolve("kube-cache"));
    Files.writeString(kubeconfig, Kubeconfig.render(serverUrl));
  }

  /** kubectl with the kubeconfig given (the one {@code berth up} wrote). */
  public Kubectl(Path workDir, Path kubeconfig) throws IOException {
    this.kubeconfig = kubeconfig;
    this.cacheDir = Files.createDirectories(workDir.resolve("kube-cache"));
  }

  /**
   * Whether the tests can run kubectl. On CI (CI=true) a missing kubectl is a failure,
   * not a skip, so that the acceptance test cannot silently stop running there.
   */
  public static boolean available() {
    boolean present = Files.isExecutable(BINARY);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(BINARY + " is missing, and CI=true requires the kubectl acceptance test to run");
    }
    return present;
  }

  /** A kubectl left running (get -w): its output so far, read from a file, until it is stopped. */
  public final class Running implements AutoCloseable {
    private final Process process;
    private final Path out;

    private Running(Process process, Path out) {
      this.process = process;
      this.out = out;
    }

    /** Waits until the output contains {@code text}; false if it does not within {@code timeout}. */
    public boolean awaitOutput(String text, java.time.Duration timeout) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (output().contains(text)) {
          return true;
        }
        Thread.sleep(50);
      }
      return false;
    }

    public String output() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  /** Starts kubectl without waiting for it: for commands that run until stopped. */
  public Running start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", cacheDir.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(cacheDir.getParent(), "kubectl", ".out");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    return new Running(process, out);
  }

  public Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", cacheDir.toString(), "--request-timeout", "20s"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(cacheDir.getParent(), "kubectl", ".out");
    Path err = Files.createTempFile(cacheDir.getParent(), "kubectl", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
