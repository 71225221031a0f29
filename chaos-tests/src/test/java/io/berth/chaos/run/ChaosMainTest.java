package io.berth.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options are refused with a message naming the flag, before any container starts. */
class ChaosMainTest {

  private static String refused(String... args) {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new ChaosMain()).setErr(new PrintWriter(err));
    assertThat(command.execute(args)).isEqualTo(2);
    return err.toString();
  }

  @Test
  void anUnknownNemesisIsRefusedNamingTheFlagAndTheKnownOnes() {
    assertThat(refused("--nemesis", "kill-leader,flood")).contains("--nemesis").contains("unknown nemesis 'flood'")
        .contains("partition-ring");
  }

  @Test
  void anUnknownWorkloadIsRefusedNamingTheFlag() {
    assertThat(refused("--workload", "queue")).contains("--workload").contains("queue");
  }

  @Test
  void replicasOtherThanThreeOrFiveAreRefused() {
    assertThat(refused("--replicas", "4")).contains("--replicas must be 3 or 5");
  }

  @Test
  void aNonPositiveDurationIsRefused() {
    assertThat(refused("--duration", "0")).contains("--duration");
  }
}
