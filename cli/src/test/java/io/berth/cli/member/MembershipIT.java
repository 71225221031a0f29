package io.berth.cli.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.cli.Main;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.LocalProcess;
import io.berth.cli.local.ServerProcesses;
import io.berth.cli.testing.LocalClusterFixture;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth member list|add|remove on a local cluster under a continuous write load: two replicas
 * join and catch up, one of the founders leaves, and no acknowledged write is lost on the way.
 */
class MembershipIT {
  @TempDir
  Path dir;

  @RegisterExtension
  final LocalClusterFixture fixture = new LocalClusterFixture(() -> dir);

  @Test
  void twoReplicasJoinAndOneLeavesUnderLoadWithoutLosingAnAcknowledgedWrite() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    List<String> founders = List.of(Files.readString(dir.resolve("etcd-endpoints")).trim().split(","));

    try (WriteLoad load = new WriteLoad(founders, Duration.ofSeconds(75))) {
      Thread.sleep(1000);
      assertThat(berth("member", "add", "server-4", "--dir", dir.toString()).output)
          .containsPattern("server-4 +joining|server-4 +caught up")
          .containsPattern("server-4 +caught up after [\\d.]+ s: applied index \\d+")
          .contains("server-4 joined and caught up");
      assertThat(berth("member", "add", "server-5", "--dir", dir.toString()).output)
          .contains("server-5 joined and caught up");

      String five = berth("member", "list", "--dir", dir.toString()).output;
      assertThat(rows(five, "| started ")).hasSize(5);
      assertThat(rows(five, "| true ")).hasSize(1);
      assertThat(five).contains("| server-4 ", "| server-5 ").doesNotContain("unstarted", "unreachable");
      ClusterFile cluster = ClusterFile.read(dir);
      assertThat(cluster.withRole("server")).extracting(s -> s.name)
          .containsExactly("server-1", "server-2", "server-3", "server-4", "server-5");
      ClusterFile.ProcessEntry four = cluster.withRole("server").get(3);
      ClusterFile.ProcessEntry five5 = cluster.withRole("server").get(4);
      assertThat(four.join).isTrue();
      assertThat(Files.readString(dir.resolve("etcd-endpoints")).trim().split(",")).hasSize(5);

      // The new members serve reads and writes, each seeing the other's write (linearizable reads).
      put(ServerProcesses.clientEndpoint(four), "/membership/via-4", "four");
      assertThat(get(ServerProcesses.clientEndpoint(five5), "/membership/via-4")).isEqualTo("four");
      put(ServerProcesses.clientEndpoint(five5), "/membership/via-5", "five");
      assertThat(get(ServerProcesses.clientEndpoint(four), "/membership/via-5")).isEqualTo("five");

      // Mistakes are refused, each with a message that says what is wrong.
      assertThat(berthFails("member", "add", "server-4", "--dir", dir.toString())).contains("already a process named server-4");
      assertThat(berthFails("member", "remove", "server-9", "--dir", dir.toString()))
          .contains("berth member remove: no member named or with ID 'server-9'");
      assertThat(berthFails("member", "add", "server-6", "--dir", dir.toString(), "--peer-urls", "http://127.0.0.1:1"))
          .contains("--peer-urls goes with --endpoints");

      ClusterFile.ProcessEntry one = cluster.withRole("server").get(0);
      assertThat(berth("member", "remove", "server-1", "--dir", dir.toString()).output)
          .containsPattern("removed server-1 \\([0-9a-f]+\\); 4 members left")
          .contains("server-1   stopped");
      String four4 = berth("member", "list", "--dir", dir.toString()).output;
      assertThat(rows(four4, "| started ")).hasSize(4);
      assertThat(four4).doesNotContain("| server-1 ");
      assertThat(LocalProcess.isAlive(one.pid, ServerProcesses.marker(one))).isFalse();
      assertThat(Path.of(one.dataDir)).doesNotExist();
      ClusterFile after = ClusterFile.read(dir);
      assertThat(after.withRole("server")).extracting(s -> s.name)
          .containsExactly("server-2", "server-3", "server-4", "server-5");
      assertThat(Files.readString(dir.resolve("etcd-endpoints"))).doesNotContain(ServerProcesses.clientEndpoint(one));
      assertThat(Files.readString(dir.resolve("kubeconfig")))
          .contains("server: http://127.0.0.1:" + after.withRole("server").get(0).port("api"));

      load.stop();
      System.out.printf("load: %d acknowledged writes, longest stretch without one %d ms%n", load.acknowledged.size(),
          load.longestGapMillis());
      assertThat(load.acknowledged).hasSizeGreaterThan(100);
      assertThat(load.missing(ServerProcesses.clientEndpoint(four))).as("acknowledged writes lost").isEmpty();
      assertThat(load.longestGapMillis()).as("longest stretch without a write (ms)").isLessThan(5000);
    }

    // berth down stops the joined servers as well as the founders.
    List<ClusterFile.ProcessEntry> servers = ClusterFile.read(dir).withRole("server");
    assertThat(Main.run("down", "--dir", dir.toString())).isZero();
    assertThat(servers).allSatisfy(s -> assertThat(LocalProcess.isAlive(s.pid, ServerProcesses.marker(s))).isFalse());
  }

  private static List<String> rows(String table, String containing) {
    return table.lines().filter(l -> l.contains(containing)).toList();
  }

  private record Run(int code, String output) {}

  private static Run berth(String... args) {
    Run run = capture(args);
    assertThat(run.code).as("exit code of berth %s; output:%n%s", String.join(" ", args), run.output).isZero();
    return run;
  }

  private static String berthFails(String... args) {
    Run run = capture(args);
    assertThat(run.code).as("exit code of berth %s; output:%n%s", String.join(" ", args), run.output).isNotZero();
    return run.output;
  }

  private static Run capture(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    int code;
    try {
      code = Main.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    return new Run(code, output);
  }

  private static void put(String endpoint, String key, String value) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
    try {
      KVGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
    } finally {
      channel.shutdownNow();
    }
  }

  private static String get(String endpoint, String key) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
    try {
      RangeResponse response = KVGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(bytes(key)).build());
      return response.getKvsCount() == 0 ? null : response.getKvs(0).getValue().toStringUtf8();
    } finally {
      channel.shutdownNow();
    }
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /**
   * One writer putting a new key every few milliseconds through the founders' endpoints, moving
   * to the next on a failure, for at most {@code limit}; it keeps every acknowledged key and the
   * longest time between two acknowledged writes.
   */
  private static final class WriteLoad implements AutoCloseable {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile long longestGapNanos;

    WriteLoad(List<String> endpoints, Duration limit) {
      endpoints.forEach(e -> channels.add(NettyChannelBuilder.forTarget(e).usePlaintext().build()));
      long until = System.nanoTime() + limit.toNanos();
      writer = Thread.ofPlatform().name("membership-load").daemon().start(() -> write(until));
    }

    private void write(long until) {
      int endpoint = 0;
      long lastSuccess = System.nanoTime();
      for (int i = 0; running && System.nanoTime() < until; i++) {
        String key = String.format("/membership/load/%08d", i);
        try {
          KVGrpc.newBlockingStub(channels.get(endpoint)).withDeadlineAfter(2, TimeUnit.SECONDS)
              .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("v")).build());
          acknowledged.add(key);
          long now = System.nanoTime();
          longestGapNanos = Math.max(longestGapNanos, now - lastSuccess);
          lastSuccess = now;
        } catch (RuntimeException e) {
          endpoint = (endpoint + 1) % channels.size();   // unknown outcome: not counted as acknowledged
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long longestGapMillis() {
      return longestGapNanos / 1_000_000;
    }

    void stop() throws InterruptedException {
      running = false;
      writer.join(5000);
    }

    /** Acknowledged keys that a linearizable read through {@code endpoint} does not find. */
    Set<String> missing(String endpoint) {
      ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
      try {
        RangeResponse all = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .range(RangeRequest.newBuilder().setKey(bytes("/membership/load/")).setRangeEnd(bytes("/membership/load0"))
                .setKeysOnly(true).build());
        Set<String> present = new HashSet<>();
        all.getKvsList().forEach(kv -> present.add(kv.getKey().toStringUtf8()));
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(present);
        return missing;
      } finally {
        channel.shutdownNow();
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
