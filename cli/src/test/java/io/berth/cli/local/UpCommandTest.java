package io.berth.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpCommandTest {
  @TempDir
  Path dir;

  @Test
  void aServerFlagTheServerDoesNotKnowIsRefusedNamingTheFlagBeforeAnythingStarts() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    int code;
    try {
      code = Main.run("up", "--dir", dir.toString(), "--server-flag=--leader-election-tll=3s", "--detach");
    } finally {
      System.setErr(err);
    }
    assertThat(code).isNotZero();
    assertThat(captured.toString()).contains("--server-flag").contains("--leader-election-tll");
    assertThat(Files.exists(dir.resolve(ClusterFile.NAME))).as("no cluster planned").isFalse();
  }

  @Test
  void serverFlagsAreAppendedToEveryServersCommandLine() {
    ClusterFile cluster = new ClusterFile();
    cluster.clusterToken = "t";
    ClusterFile.ProcessEntry server = new ClusterFile.ProcessEntry();
    server.name = "server-1";
    server.role = ServerProcesses.ROLE;
    server.dataDir = "/d";
    server.ports.put("client", 1);
    server.ports.put("peer", 2);
    server.ports.put("metrics", 3);
    server.ports.put("api", 4);
    cluster.processes.add(server);
    cluster.serverFlags = List.of("--leader-election-ttl=3s");
    List<String> args = ServerProcesses.args(cluster, server);
    assertThat(args.get(args.size() - 1)).isEqualTo("--leader-election-ttl=3s");
  }
}
