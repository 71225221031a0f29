package io.berth.cli.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import io.berth.cli.local.ClusterFile;
import io.berth.controllers.testing.Eventually;
import io.berth.cli.testing.LocalClusterFixture;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling upgrade of docs/operations.md, done to a local cluster under a write and read
 * load: a second release (the same build copied to another directory, as an unpacked new
 * version would be) replaces the servers one at a time, followers first and the Raft leader
 * last, each stopped with SIGTERM and started again by the new release's {@code berth up},
 * which starts only what is missing; the next waits until the restarted one is ready and has
 * applied everything the leader has. Then the ingress. No acknowledged write is lost, writes
 * and reads are never unavailable for long, and every process runs the new release.
 */
class RollingUpgradeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @TempDir Path releases;

  @RegisterExtension
  final LocalClusterFixture fixture = new LocalClusterFixture(() -> dir);

  @Test
  void replacingEveryReplicaOneAtATimeKeepsTheClusterAvailableAndLosesNoWrite() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    Path release2 = unpackRelease(releases.resolve("berth-2"));
    ClusterFile cluster = ClusterFile.read(dir);
    List<String> endpoints = cluster.withRole("server").stream().map(s -> "127.0.0.1:" + s.port("client")).toList();

    try (StoreWorkload load = new StoreWorkload(endpoints, null)) {
      Thread.sleep(1000);
      for (ClusterFile.ProcessEntry server : followersFirst(cluster)) {
        stop(server.pid);
        assertThat(upFrom(release2)).as("the new release's berth up").isZero();
        ClusterFile.ProcessEntry restarted = ClusterFile.read(dir).withRole("server").stream()
            .filter(s -> s.name.equals(server.name)).findFirst().orElseThrow();
        assertThat(commandLine(restarted.pid)).as("%s runs the new release", server.name).contains(release2.toString());
        Eventually.await(server.name + " ready", WAIT, () -> ready(restarted.port("metrics")));
        Eventually.await(server.name + " caught up with the leader", WAIT, () -> caughtUp(restarted, endpoints));
      }
      ClusterFile.ProcessEntry ingress = cluster.withRole("ingress").get(0);
      stop(ingress.pid);
      assertThat(upFrom(release2)).isZero();
      ClusterFile.ProcessEntry newIngress = ClusterFile.read(dir).withRole("ingress").get(0);
      assertThat(commandLine(newIngress.pid)).contains(release2.toString());
      Thread.sleep(1000);

      long longestWriteGap = load.writes().longestMillis();
      long longestReadGap = load.reads().longestMillis();
      long lost = load.lostWrites();
      System.out.printf("RollingUpgradeIT: %d acknowledged writes, %d lost; longest gap without a write %d ms, "
          + "without a read %d ms%n", load.acknowledgedCount(), lost, longestWriteGap, longestReadGap);
      assertThat(lost).as("acknowledged writes lost").isZero();
      assertThat(load.acknowledgedCount()).isGreaterThan(100);
      assertThat(longestWriteGap).as("longest stretch without a successful write, ms").isLessThan(5000);
      assertThat(longestReadGap).as("longest stretch without a successful read, ms").isLessThan(5000);
    }
  }

  /** The servers with the Raft leader last: one leader change for the whole upgrade. */
  private static List<ClusterFile.ProcessEntry> followersFirst(ClusterFile cluster) {
    List<ClusterFile.ProcessEntry> servers = new ArrayList<>(cluster.withRole("server"));
    servers.sort(Comparator.comparing(s -> isLeader(s) ? 1 : 0));
    return servers;
  }

  private static boolean isLeader(ClusterFile.ProcessEntry server) {
    StatusResponse status = status("127.0.0.1:" + server.port("client"));
    return status != null && status.getLeader() == status.getHeader().getMemberId();
  }

  private static boolean caughtUp(ClusterFile.ProcessEntry server, List<String> endpoints) {
    StatusResponse own = status("127.0.0.1:" + server.port("client"));
    if (own == null || own.getLeader() == 0) {
      return false;
    }
    long leaderApplied = endpoints.stream().map(RollingUpgradeIT::status)
        .filter(s -> s != null && s.getLeader() == s.getHeader().getMemberId())
        .mapToLong(StatusResponse::getRaftAppliedIndex).findFirst().orElse(Long.MAX_VALUE);
    return own.getRaftAppliedIndex() >= leaderApplied - 50;
  }

  private static StatusResponse status(String endpoint) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
    try {
      return MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
    } catch (RuntimeException e) {
      return null;
    } finally {
      channel.shutdownNow();
    }
  }

  private static boolean ready(int metricsPort) {
    try {
      HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + metricsPort + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** SIGTERM, then wait until the process is gone or a zombie (nothing here reaps it). */
  private static void stop(long pid) throws Exception {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    Eventually.await("pid " + pid + " stopped", WAIT, () -> {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
      } catch (IOException e) {
        return true;
      }
    });
  }

  private static String commandLine(long pid) throws IOException {
    return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
  }

  /** The new release's {@code berth up --dir DIR --detach}, run from its own directory. */
  private int upFrom(Path release) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process up = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-cp", release.resolve("berth-cli.jar") + ":" + release.resolve("lib")
        + "/*", "io.berth.cli.Main", "up", "--dir", dir.toString(), "--detach").inheritIO().start();
    if (!up.waitFor(120, TimeUnit.SECONDS)) {
      up.destroyForcibly();
      return -1;
    }
    return up.exitValue();
  }

  /** A copy of the built release (cli/target/berth-cli.jar and its lib/), as a new version would be unpacked. */
  private static Path unpackRelease(Path target) throws IOException {
    Path built = repo().resolve("cli/target");
    Files.createDirectories(target.resolve("lib"));
    Files.copy(built.resolve("berth-cli.jar"), target.resolve("berth-cli.jar"), StandardCopyOption.REPLACE_EXISTING);
    try (Stream<Path> jars = Files.list(built.resolve("lib"))) {
      for (Path jar : jars.toList()) {
        Files.copy(jar, target.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return target;
  }

  private static Path repo() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("cli/target/berth-cli.jar"))) {
        return d;
      }
    }
    throw new IllegalStateException("cli/target/berth-cli.jar not found: package the cli module first");
  }
}
