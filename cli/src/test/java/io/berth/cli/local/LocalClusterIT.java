package io.berth.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.cli.Main;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local cluster of real `berth server` processes, started and stopped with
 * the CLI verbs, and crashed with SIGKILL.
 */
class LocalClusterIT {
  @TempDir Path dir;

  @org.junit.jupiter.api.extension.RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);


  @AfterEach
  void down() {
    Main.run("down", "--dir", dir.toString());
  }

  @Test
  void upWritesTheClusterFileAndEndpointsAndDownStopsEveryProcess() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();

    ClusterFile cluster = ClusterFile.read(dir);
    List<ClusterFile.ProcessEntry> servers = cluster.withRole("server");
    assertThat(servers).hasSize(3).allSatisfy(p -> {
      assertThat(p.role).isEqualTo("server");
      assertThat(p.ports).containsKeys("client", "peer", "metrics", "api");
      assertThat(LocalProcess.isAlive(p.pid, ServerProcesses.marker(p))).isTrue();
      // Healthy means "knows a leader": a second election just after start may hide it for a moment.
      assertThat(eventually(() -> LocalProcess.httpOk(p.port("metrics"), "/healthz"))).isTrue();
      assertThat(LocalProcess.httpOk(p.port("metrics"), "/metrics")).isTrue();
    });
    String endpoints = Files.readString(dir.resolve("etcd-endpoints")).trim();
    assertThat(endpoints.split(",")).hasSize(3).allMatch(e -> e.startsWith("127.0.0.1:"));
    assertThat(Main.run("status", "--dir", dir.toString())).isZero();

    // Every replica serves the Kubernetes API; the kubeconfig points at the first one.
    String kubeconfig = Files.readString(dir.resolve("kubeconfig"));
    assertThat(kubeconfig).contains("server: http://127.0.0.1:" + servers.get(0).port("api"))
        .contains("current-context: berth");
    for (ClusterFile.ProcessEntry p : servers) {
      String namespaces = httpGet(p.port("api"), "/api/v1/namespaces");
      assertThat(namespaces).contains("\"kind\":\"NamespaceList\"").contains("\"name\":\"default\"");
    }

    // One ingress beside the servers, ready (its routes listed from the API).
    assertThat(cluster.withRole("ingress")).singleElement().satisfies(p -> {
      assertThat(p.ports).containsKeys("http", "https", "metrics");
      assertThat(LocalProcess.isAlive(p.pid, IngressProcesses.marker(p))).isTrue();
      assertThat(LocalProcess.httpOk(p.port("metrics"), "/readyz")).isTrue();
    });

    assertThat(Main.run("down", "--dir", dir.toString())).isZero();
    assertThat(cluster.processes).allSatisfy(p ->
        assertThat(LocalProcess.isAlive(p.pid, IngressProcesses.markerOf(p))).isFalse());
  }

  private static boolean eventually(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      LocalProcess.sleep(100);
    }
    return false;
  }

  /** Retries while the replica is still creating its system namespaces (at most a few seconds after it is ready). */
  private static String httpGet(int port, String path) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(java.time.Duration.ofSeconds(10)).build();
    String body = "";
    for (int attempt = 0; attempt < 100 && !body.contains("\"name\":\"default\""); attempt++) {
      java.net.http.HttpResponse<String> response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      body = response.statusCode() + " " + response.body();
      Thread.sleep(attempt == 0 ? 0 : 100);
    }
    return body;
  }

  @Test
  void killingEveryReplicaDuringWritesLosesNoAcknowledgedWrite() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    String[] endpoints = Files.readString(dir.resolve("etcd-endpoints")).trim().split(",");

    Map<String, Long> acknowledged = new HashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<ManagedChannel> channels = new ArrayList<>();
    Thread writer = new Thread(() -> {
      ManagedChannel channel = NettyChannelBuilder.forTarget(endpoints[0]).usePlaintext().build();
      channels.add(channel);
      KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
      for (int i = 0; i < 100_000 && !stop.get(); i++) {
        String key = "durable/" + i;
        try {
          PutResponse put = kv.withDeadlineAfter(5, TimeUnit.SECONDS)
              .put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs("v" + i)).build());
          synchronized (acknowledged) {
            acknowledged.put(key, put.getHeader().getRevision());
          }
        } catch (StatusRuntimeException e) {
          // Not acknowledged (slow machine, or the cluster is being killed): it may or may
          // not have been applied, so it proves nothing either way. Keep writing.
        }
      }
    });
    writer.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sizeOf(acknowledged) < 100 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    for (ClusterFile.ProcessEntry p : cluster.processes) {
      ProcessHandle.of(p.pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (ClusterFile.ProcessEntry p : cluster.processes) {
      long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (LocalProcess.isAlive(p.pid, ServerProcesses.marker(p)) && System.nanoTime() < killDeadline) {
        Thread.sleep(20);
      }
    }
    stop.set(true);
    writer.join(10_000);
    channels.forEach(ManagedChannel::shutdownNow);
    Map<String, Long> acked;
    synchronized (acknowledged) {
      acked = Map.copyOf(acknowledged);
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(100);
    long highestAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();

    assertThat(Main.run("up", "--dir", dir.toString(), "--detach")).isZero();
    ManagedChannel channel = NettyChannelBuilder.forTarget(endpoints[1]).usePlaintext().build();
    try {
      RangeResponse all = KVGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(bs("durable/")).setRangeEnd(bs("durable0")).build());
      Map<String, Long> present = new HashMap<>();
      all.getKvsList().forEach(kv -> present.put(kv.getKey().toStringUtf8(), kv.getModRevision()));
      assertThat(present).containsAllEntriesOf(acked);
      assertThat(all.getHeader().getRevision()).isGreaterThanOrEqualTo(highestAcked);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void ctrlCOnAForegroundUpStopsTheWholeCluster() throws Exception {
    Path log = dir.resolve("up.log");
    Process up = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "io.berth.cli.Main", "up", "--dir", dir.toString(),
        "--replicas", "1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.readString(log).contains("Ctrl-C stops the cluster")) {
        assertThat(up.isAlive()).as("berth up exited early: %s", Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("berth up not ready: %s", Files.readString(log)).isLessThan(deadline);
        Thread.sleep(100);
      }
      ClusterFile.ProcessEntry server = ClusterFile.read(dir).processes.get(0);
      assertThat(LocalProcess.isAlive(server.pid, ServerProcesses.marker(server))).isTrue();

      new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor();

      assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(LocalProcess.isAlive(server.pid, ServerProcesses.marker(server))).isFalse();
      assertThat(Files.readString(log)).contains("stopping the cluster").contains("stopped (pid " + server.pid + ")");
    } finally {
      up.destroyForcibly();
    }
  }

  @Test
  void aSecondClusterCannotStartOnPortsInUse() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "1", "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    ClusterFile.ProcessEntry server = cluster.processes.get(0);
    // Copy the cluster file to another dir: same ports, different data dirs.
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    server.pid = 0;
    server.dataDir = other.resolve("data").toString();
    cluster.write(other);
    assertThat(Main.run("up", "--dir", other.toString(), "--detach")).isEqualTo(1);
  }

  private static int sizeOf(Map<?, ?> map) {
    synchronized (map) {
      return map.size();
    }
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
