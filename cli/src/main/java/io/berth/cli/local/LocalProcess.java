package io.berth.cli.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starting, probing and stopping the processes of a local cluster.
 *
 * <p>Liveness is read from /proc, never from {@code kill -0}: where PID 1 does not
 * reap orphans, a killed process lingers as a zombie that {@code kill -0} still
 * finds. A pid also counts only if its command line names the process's data
 * dir, so a reused pid is never mistaken for (or stopped as) ours.
 */
public final class LocalProcess {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private LocalProcess() {}

  /** Starts {@code berth <args>} with the same JVM and class path as this process; output goes to {@code log}. */
  public static long start(List<String> berthArgs, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-XX:+UseG1GC");
    command.add("-XX:+ExitOnOutOfMemoryError");
    if (Runtime.version().feature() >= 24) {
      // Netty and protobuf use sun.misc.Unsafe and native libraries; allow them without warnings.
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.berth.cli.Main");
    command.addAll(berthArgs);
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return builder.start().pid();
  }

  /** Whether {@code pid} is a live (not zombie) process whose command line contains {@code marker}. */
  public static boolean isAlive(long pid, String marker) {
    if (pid <= 0) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state == 'Z' || state == 'X') {
        return false;
      }
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').contains(marker);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. Returns true if it was running. */
  public static boolean stop(long pid, String marker, Duration grace) {
    if (!isAlive(pid, marker)) {
      return false;
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isAlive(pid, marker)) {
        return true;
      }
      sleep(100);
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (isAlive(pid, marker) && System.nanoTime() < killDeadline) {
      sleep(50);
    }
    return true;
  }

  /** GETs http://127.0.0.1:port/path; true on 200. */
  static boolean httpOk(int port, String path) {
    return answers200(HTTP, URI.create("http://127.0.0.1:" + port + path));
  }

  private static boolean answers200(HttpClient client, URI uri) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Whether the Kubernetes API at {@code port} answers {@code path} with 200: over HTTPS with the
   * admin certificate in a cluster with certificates, else plain HTTP.
   */
  static boolean apiOk(ClusterFile cluster, int port, String path) {
    if (cluster.pki == null) {
      return httpOk(port, path);
    }
    javax.net.ssl.SSLContext admin;
    try {
      admin = io.berth.client.tls.TlsFiles.inPki(Path.of(cluster.pki), io.berth.cli.certs.ClusterPki.ADMIN_FILE)
          .sslContext();
    } catch (IOException e) {
      return false;
    }
    try (HttpClient https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).sslContext(admin).build()) {
      return answers200(https, URI.create("https://127.0.0.1:" + port + path));
    }
  }

  static int freePort() {
    return io.berth.store.net.FreePorts.pick();
  }

  static boolean portFree(int port) {
    return io.berth.store.net.FreePorts.isFree(port);
  }

  static boolean awaitPortFree(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!portFree(port)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(100);
    }
    return true;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
