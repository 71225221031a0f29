package io.berth.store.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the real {@code etcdctl} (etcd's v3 command-line client) against given
 * endpoints: every run is bounded by a timeout and captures stdout, stderr and
 * the exit code; a long-running command (watch) runs in the background and is
 * killed when closed. The environment is cleaned of {@code ETCDCTL_*} and proxy
 * variables so only the flags given here apply, and {@code ETCDCTL_API=3} is set.
 */
final class Etcdctl {
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;
  private final List<String> endpoints;

  Etcdctl(Path binary, List<String> endpoints) {
    this.binary = binary;
    this.endpoints = List.copyOf(endpoints);
  }

  /** {@code $ETCDCTL_BIN} if set, else {@code etcdctl} on the PATH. */
  static Optional<Path> locate() {
    String explicit = System.getenv("ETCDCTL_BIN");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(java.io.File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "etcdctl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The same binary talking to other endpoints (one, to pin a member). */
  Etcdctl withEndpoints(String... others) {
    return new Etcdctl(binary, List.of(others));
  }

  /** Runs {@code etcdctl args...} to completion (or the timeout, which fails the test). */
  Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs etcdctl with {@code stdin} as its standard input (then closed). */
  Result runWithInput(String stdin, String... args) {
    List<String> command = command(args);
    Process process = startProcess(command);
    try {
      Collector out = new Collector(process.getInputStream());
      Collector err = new Collector(process.getErrorStream());
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // etcdctl exited before reading its input: its exit code and stderr tell why
      }
      if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("etcdctl did not finish within " + RUN_TIMEOUT + ": " + command
            + "\nstdout:\n" + out.text() + "\nstderr:\n" + err.text());
      }
      out.join();
      err.join();
      return new Result(command, process.exitValue(), out.text(), err.text());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      process.destroyForcibly();
    }
  }

  /** Starts {@code etcdctl args...} in the background; close the handle to kill it. */
  Background start(String... args) {
    List<String> command = command(args);
    Process process = startProcess(command);
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // nothing to tell it
    }
    return new Background(command, process);
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--endpoints=" + String.join(",", endpoints));
    // Generous bounds for a small, shared machine; the process timeout is the hard limit.
    command.add("--dial-timeout=5s");
    command.add("--command-timeout=15s");
    command.addAll(List.of(args));
    return command;
  }

  private static Process startProcess(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("ETCDCTL_") || name.toLowerCase().endsWith("_proxy"));
    env.put("ETCDCTL_API", "3");
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The outcome of one etcdctl run. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Asserts exit code 0 and returns this. */
    Result ok() {
      if (exitCode != 0) {
        throw new AssertionError(describe("expected exit code 0"));
      }
      return this;
    }

    /** Asserts a non-zero exit code and returns this. */
    Result failed() {
      if (exitCode == 0) {
        throw new AssertionError(describe("expected etcdctl to fail"));
      }
      return this;
    }

    /** stdout parsed as one JSON document (for {@code -w json}). */
    JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new AssertionError(describe("stdout is not JSON"), e);
      }
    }

    /** stdout split into lines, without the final newline's empty remainder. */
    List<String> lines() {
      if (stdout.isEmpty()) {
        return List.of();
      }
      String text = stdout.endsWith("\n") ? stdout.substring(0, stdout.length() - 1) : stdout;
      return List.of(text.split("\n", -1));
    }

    String describe(String what) {
      return what + ": " + command + " exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }

    @Override
    public String toString() {
      return describe("etcdctl");
    }
  }

  /** A running etcdctl whose output accumulates; {@link #close()} kills it. */
  static final class Background implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final Collector out;
    private final Collector err;

    private Background(List<String> command, Process process) {
      this.command = command;
      this.process = process;
      this.out = new Collector(process.getInputStream());
      this.err = new Collector(process.getErrorStream());
    }

    String stdout() {
      return out.text();
    }

    String stderr() {
      return err.text();
    }

    /** Waits until stdout satisfies {@code condition}; fails the test with the output so far otherwise. */
    String awaitStdout(Predicate<String> condition, Duration timeout, String what) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        boolean exited = !process.isAlive();
        if (exited) {
          out.join();
          err.join();
        }
        String text = stdout();
        if (condition.test(text)) {
          return text;
        }
        if (exited || System.nanoTime() > deadline) {
          throw new AssertionError("etcdctl output never showed " + what + " within " + timeout + ": " + command
              + (exited ? " (it exited with " + process.exitValue() + ")" : "")
              + "\nstdout:\n" + text + "\nstderr:\n" + stderr());
        }
        sleep(50);
      }
    }

    /** Waits for etcdctl to exit by itself; returns its exit code. */
    int awaitExit(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("etcdctl did not exit within " + timeout + ": " + command
              + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      out.join();
      err.join();
      return process.exitValue();
    }

    @Override
    public void close() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.join();
      err.join();
    }
  }

  /** Copies a process stream into memory on a daemon thread. */
  private static final class Collector {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread thread;

    Collector(InputStream stream) {
      thread = new Thread(() -> {
        byte[] chunk = new byte[8192];
        try (stream) {
          int n;
          while ((n = stream.read(chunk)) > 0) {
            synchronized (buffer) {
              buffer.write(chunk, 0, n);
            }
          }
        } catch (IOException ignored) {
          // the process was killed: keep what arrived
        }
      }, "etcdctl-output");
      thread.setDaemon(true);
      thread.start();
    }

    String text() {
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }

    void join() {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
