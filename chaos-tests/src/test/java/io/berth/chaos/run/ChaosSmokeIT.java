package io.berth.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.chaos.cluster.BerthHome;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.history.Fault;
import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import io.berth.chaos.workload.ControlPlaneWorkload;
import io.berth.chaos.workload.ElectionWorkload;
import io.berth.chaos.workload.RegisterWorkload;
import io.berth.chaos.workload.SetWorkload;
import io.berth.chaos.workload.WatchWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos smoke set of {@code make test}: short runs with fixed seeds on one 3-replica
 * cluster in containers (started once: the replicas' start-up is most of the cost). The long
 * runs are {@code make chaos}. Results of each run are in chaos-tests/target/chaos-smoke/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosSmokeIT {
  private static final Path RESULTS = Path.of("target", "chaos-smoke");
  private ChaosCluster cluster;

  @BeforeAll
  void startCluster() {
    cluster = ChaosCluster.start(3, BerthHome.find(), RESULTS.resolve("logs"));
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void registersStayLinearizableAndTheSetLosesNothingUnderPartitionsAndKills() {
    ChaosRun.RunResult result = ChaosRun.run(cluster, List.of(RegisterWorkload.defaults(), SetWorkload.defaults()),
        options(11, 66, "partition-halves,partition-leader,kill-random,kill-leader", "register-set"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.history().faults()).extracting(Fault::nemesis)
        .contains("partition-halves", "partition-leader", "kill-random", "kill-leader");
    assertThat(okCount(result, "write")).isGreaterThan(100);
    assertThat(okCount(result, "read")).isGreaterThan(100);
    assertThat(okCount(result, "add")).isGreaterThan(100);
  }

  @Test
  @Order(2)
  void watchersResumeOnAnotherReplicaWithoutGapOrDuplicateWhenTheLeaderIsKilled() {
    ChaosRun.RunResult result = ChaosRun.run(cluster, List.of(WatchWorkload.defaults()),
        options(12, 16, "kill-leader", "watch"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.history().faults()).isNotEmpty();
    assertThat(result.history().deliveries()).hasSizeGreaterThan(100);
  }

  @Test
  @Order(3)
  void theControlPlaneConvergesWithoutDoubleBindingOrExtraPodsWhenTheLeaderIsKilled() {
    ChaosRun.RunResult result = ChaosRun.run(cluster,
        List.of(ControlPlaneWorkload.defaults(), new ElectionWorkload()),
        options(13, 16, "kill-leader", "control-plane"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.history().faults()).isNotEmpty();
    assertThat(okCount(result, "scale") + okCount(result, "roll")).isGreaterThan(3);
    assertThat(okCount(result, "fenced-write")).isGreaterThan(50);
    // Leadership changed hands, and deposed leaders tried to write on: the store refused them.
    assertThat(result.history().operations().stream().filter(op -> op.f().equals("fenced-write") && op.isOk())
        .map(Operation::value).distinct().count()).isGreaterThanOrEqualTo(2);
    assertThat(result.history().operations().stream()
        .filter(op -> op.f().equals("deposed-write") && op.outcome() == Outcome.FAIL).count()).isPositive();
  }

  private static RunOptions options(long seed, int faultSeconds, String nemeses, String folder) {
    return new RunOptions(seed, Duration.ofSeconds(faultSeconds), Duration.ofSeconds(6), Duration.ofSeconds(6),
        Duration.ofSeconds(6), nemeses, false, RESULTS.resolve(folder));
  }

  private static long okCount(ChaosRun.RunResult result, String f) {
    return result.history().operations().stream().filter(op -> op.f().equals(f))
        .map(Operation::outcome).filter(o -> o == Outcome.OK).count();
  }
}
