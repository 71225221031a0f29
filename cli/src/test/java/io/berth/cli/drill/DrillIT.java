package io.berth.cli.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.ServerProcesses;
import io.berth.cli.testing.LocalClusterFixture;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth drill on a local cluster: the faults are injected and healed, and the report says what happened.
 * The partition drill changes iptables rules and cgroups, so this test runs as root (as CI does).
 */
class DrillIT {
  @TempDir
  Path dir;

  @RegisterExtension
  final LocalClusterFixture fixture = new LocalClusterFixture(() -> dir);

  @Test
  void killingOrPartitioningTheStoreLeaderPausingAReplicaAndARollingRestartLoseNoAcknowledgedWrite() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "3", "--detach")).isZero();

    String killed = drill("kill-store-leader", "--dir", dir.toString(), "--fault-duration", "3s");
    assertThat(killed).contains("drill report: kill-store-leader")
        .containsPattern("time to a new leader\\s+\\d+ ms \\(store member [0-9a-f]+\\)")
        .containsPattern("acknowledged writes\\s+[1-9]\\d*")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("replicas converged\\s+yes")
        .containsPattern("promises kept\\s+yes");

    // Cut the store's leader off from its peers: the others elect a new one and nothing is lost.
    String leader = storeLeaderName();
    String partitioned = drill("partition", leader, "--dir", dir.toString(), "--fault-duration", "3s");
    assertThat(partitioned).contains("drill report: partition (" + leader + ")")
        .containsPattern("partition: pid \\d+ in cgroup berth-drill-\\d+; \\d+ DROP rules")
        .containsPattern("time to a new leader\\s+\\d+ ms \\(store member [0-9a-f]+\\)")
        .containsPattern("acknowledged writes\\s+[1-9]\\d*")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("replicas converged\\s+yes")
        .containsPattern("promises kept\\s+yes")
        .contains("partition healed");
    assertThat(iptablesRules()).doesNotContain("BERTH-DRILL");

    String paused = drill("pause", "server-2", "--dir", dir.toString(), "--fault-duration", "2s");
    assertThat(paused).contains("drill report: pause (server-2)")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("promises kept\\s+yes");

    String rolled = drill("rolling-restart", "--dir", dir.toString());
    assertThat(rolled).contains("drill report: rolling-restart")
        .containsPattern("restarted server-1\\s+back and caught up \\d+ ms after SIGTERM")
        .containsPattern("restarted server-2\\s+back and caught up")
        .containsPattern("restarted server-3\\s+back and caught up")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("replicas converged\\s+yes")
        .containsPattern("promises kept\\s+yes");
  }

  @Test
  void aDrillNamesWhatIsMissing() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "1", "--detach")).isZero();
    assertThat(Main.run("drill", "pause", "--dir", dir.toString())).isNotZero();
    assertThat(Main.run("drill", "pause", "server-9", "--dir", dir.toString())).isNotZero();
    assertThat(Main.run("drill", "unplug-the-datacenter", "--dir", dir.toString())).isNotZero();
  }

  /** The name of the server the store's Raft leader runs in, as cluster.json names it. */
  private String storeLeaderName() throws Exception {
    List<ClusterFile.ProcessEntry> servers = ClusterFile.read(dir).withRole("server");
    for (int attempt = 0; attempt < 50; attempt++) {
      for (ClusterFile.ProcessEntry server : servers) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(ServerProcesses.clientEndpoint(server)).usePlaintext().build();
        try {
          StatusResponse status = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
              .status(StatusRequest.getDefaultInstance());
          if (status.getLeader() != 0 && status.getLeader() == status.getHeader().getMemberId()) {
            return server.name;
          }
        } catch (RuntimeException e) {
          // not answering yet: ask the next
        } finally {
          channel.shutdownNow();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no store leader among " + servers.stream().map(s -> s.name).toList());
  }

  private static String iptablesRules() throws Exception {
    Process iptables = new ProcessBuilder("iptables", "-w", "5", "-S").redirectErrorStream(true).start();
    String rules = new String(iptables.getInputStream().readAllBytes());
    assertThat(iptables.waitFor()).as("iptables -S: %s", rules).isZero();
    return rules;
  }

  private static String drill(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    int code;
    try {
      String[] all = new String[args.length + 1];
      all[0] = "drill";
      System.arraycopy(args, 0, all, 1, args.length);
      code = Main.run(all);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString();
    System.out.println(output);
    assertThat(code).as("exit code of berth drill; output:%n%s", output).isZero();
    return output;
  }
}
