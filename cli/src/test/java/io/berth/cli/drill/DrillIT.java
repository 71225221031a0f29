package io.berth.cli.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** berth drill on a local cluster: the faults are injected and healed, and the report says what happened. */
class DrillIT {
  @TempDir
  Path dir;

  @RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);

  @AfterEach
  void down() {
    Main.run("down", "--dir", dir.toString());
  }

  @Test
  void killingTheStoreLeaderPausingAReplicaAndARollingRestartLoseNoAcknowledgedWrite() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "3", "--detach")).isZero();

    String killed = drill("kill-store-leader", "--dir", dir.toString(), "--fault-duration", "3s");
    assertThat(killed).contains("drill report: kill-store-leader")
        .containsPattern("time to a new leader\\s+\\d+ ms \\(store member [0-9a-f]+\\)")
        .containsPattern("acknowledged writes\\s+[1-9]\\d*")
        .containsPattern("acknowledged writes lost\\s+0\\b")
        .containsPattern("replicas converged\\s+yes")
        .containsPattern("promises kept\\s+yes");

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
