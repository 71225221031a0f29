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
import java.nio.file.Files;
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
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();

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
        .containsPattern("restarted server-1\\s+back and caught up \\d+ ms after the stop began")
        .containsPattern("restarted server-2\\s+back and caught up")
        .containsPattern("restarted server-3\\s+back and caught up")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("replicas converged\\s+yes")
        .containsPattern("promises kept\\s+yes");
  }

  /**
   * A real cluster is reached by --endpoints with etcdctl's TLS flags and by the operator's own
   * commands; here those commands find a server's process ID in cluster.json with jq and signal
   * it, or start what is missing with berth up, as ssh and systemctl would on real machines.
   */
  @Test
  void onAnyClusterTheDrillRunsTheOperatorsCommandsOverTls() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "3", "--detach")).isZero();
    String endpoints = Files.readString(dir.resolve("etcd-endpoints")).trim();
    Path pki = dir.resolve("pki");
    List<String> remote = List.of("--endpoints", endpoints, "--cacert", pki.resolve("ca.crt").toString(),
        "--cert", pki.resolve("admin.crt").toString(), "--key", pki.resolve("admin.key").toString());
    String pid = "$(jq -r '.processes[] | select(.name==\"{name}\") | .pid' " + dir.resolve("cluster.json") + ")";
    String berthUp = String.join(" ", ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), "io.berth.cli.Main", "up", "--dir", dir.toString(), "--detach");

    String killed = drill(concat(List.of("kill-controller-leader", "--fault-duration", "3s",
        "--on-kill", "kill -KILL " + pid, "--on-start", berthUp), remote));
    assertThat(killed).containsPattern("drill kill-controller-leader on 127\\.0\\.0\\.1:\\d+,")
        .containsPattern("fault injected\\s+\\S+: --on-kill for server-\\d: kill -KILL \\$\\(jq")
        .containsPattern("time to a new leader\\s+\\d+ ms \\(server-\\d leads berth-controller-manager\\)")
        .containsPattern("acknowledged writes\\s+[1-9]\\d*")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("replicas converged\\s+yes")
        .containsPattern("promises kept\\s+yes");

    String paused = drill(concat(List.of("pause", "server-3", "--fault-duration", "2s",
        "--on-pause", "kill -STOP " + pid, "--on-resume", "kill -CONT " + pid), remote));
    assertThat(paused).contains("drill report: pause (server-3)")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("promises kept\\s+yes");

    // What is missing or failing is named, flag by flag, before or as it happens.
    assertThat(fails(List.of(concat(List.of("kill-store-leader", "--on-kill", "true"), remote))))
        .contains("drill kill-store-leader with --endpoints needs --on-start");
    assertThat(fails(List.of("pause", "server-1", "--dir", dir.toString(), "--on-pause", "true")))
        .contains("--on-* commands go with --endpoints");
    assertThat(fails(List.of(concat(List.of("pause", "server-2", "--on-pause", "exit 3", "--on-resume", "true"), remote))))
        .contains("--on-pause for server-2 exited 3: exit 3");
    // A failed drill heals what it did: the cluster still answers on every member.
    assertThat(Main.run("status", "--dir", dir.toString())).isZero();
  }

  @Test
  void aDrillNamesWhatIsMissing() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "1", "--detach")).isZero();
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

  private static String[] concat(List<String> first, List<String> second) {
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    return all.toArray(String[]::new);
  }

  /** The error output of a drill that must fail. */
  private static String fails(List<String> args) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    int code;
    try {
      List<String> all = new java.util.ArrayList<>(List.of("drill"));
      all.addAll(args);
      code = Main.run(all.toArray(String[]::new));
    } finally {
      System.setErr(original);
    }
    assertThat(code).as("exit code of a drill that must fail; error output:%n%s", captured).isNotZero();
    return captured.toString();
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
