package io.berth.scheduler.framework;

import io.berth.scheduler.Harness;
import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  @Test
  void picksTheEmptierNode() {
    var cluster = cluster(node("a"), node("b")).with(pod("busy").on("a").cpu("3").memory("6Gi"));
    assertThat(cluster.placed(pod("new").cpu("500m").memory("1Gi"))).isEqualTo("b");
  }

  @Test
  void tiesGoToTheFirstNodeByName() {
    assertThat(cluster(node("c"), node("b"), node("a")).placed(pod("new"))).isEqualTo("a");
  }

  @Test
  void countsEachReasonAndSortsTheCountedReasonsAsStrings() {
    var cluster = cluster(
        node("n1").cpu("1"), node("n2").cpu("1"), node("n3").cpu("1"),
        node("n4").taint("dedicated", "gpu", "NoSchedule"), node("n5").taint("dedicated", "gpu", "NoSchedule"));
    assertThat(cluster.failure(pod("new").cpu("2")))
        .isEqualTo("0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.");
  }

  @Test
  void aNodeShortOfSeveralResourcesCountsForEach() {
    var cluster = cluster(node("a").cpu("1").memory("1Gi"), node("b").cpu("1"));
    assertThat(cluster.failure(pod("new").cpu("2").memory("2Gi")))
        .isEqualTo("0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.");
  }

  @Test
  void noNodesAtAll() {
    assertThat(cluster().failure(pod("new"))).isEqualTo("0/0 nodes are available.");
  }

  @Test
  void finishedPodsHoldNothing() {
    var cluster = cluster(node("a").cpu("1")).with(pod("done").on("a").cpu("1").phase("Succeeded"));
    assertThat(cluster.placed(pod("new").cpu("1"))).isEqualTo("a");
  }

  @Test
  void fitErrorMessageShape() {
    assertThat(FitError.message(3, Map.of("Too many pods", 1, "Insufficient cpu", 2)))
        .isEqualTo("0/3 nodes are available: 1 Too many pods, 2 Insufficient cpu.");
  }

  @Test
  void totalsAreWeightedSumsOfNormalisedScores() {
    var result = (ScheduleResult.Scheduled) cluster(node("a"), node("b")).schedule(pod("new"));
    // empty nodes, empty pod: LeastAllocated 100 + Balanced 100 + Spread 2*100 + Preferred 2*0 + Taints 3*100
    assertThat(result.totals()).containsEntry("a", 700L).containsEntry("b", 700L);
  }

  @Test
  void normalisation() {
    assertThat(Normalize.higherIsBetter(java.util.List.of(0L, 5L, 10L))).containsExactly(0L, 50L, 100L);
    assertThat(Normalize.lowerIsBetter(java.util.List.of(0L, 1L, 4L))).containsExactly(100L, 75L, 0L);
    assertThat(Normalize.lowerIsBetter(java.util.List.of(0L, 0L))).containsExactly(100L, 100L);
  }

  @Test
  void onLargeClustersTheSearchStopsAtEnoughFeasibleNodesAndMovesOn() {
    assertThat(Scheduler.feasibleNodesToFind(50)).isEqualTo(50);
    assertThat(Scheduler.feasibleNodesToFind(1000)).isEqualTo(420);        // 42% of 1,000
    assertThat(Scheduler.feasibleNodesToFind(5000)).isEqualTo(500);        // 10%
    assertThat(Scheduler.feasibleNodesToFind(200)).isEqualTo(100);         // never fewer than 100

    Harness.N[] nodes = new Harness.N[1000];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = node(String.format("n%04d", i));
    }
    var cluster = cluster(nodes);
    Scheduler scheduler = new Scheduler(io.berth.scheduler.filters.DefaultFilters.all(),
        io.berth.scheduler.scores.DefaultScores.all());
    var first = (ScheduleResult.Scheduled) scheduler.schedule(pod("p1").build(), cluster.snapshot());
    var second = (ScheduleResult.Scheduled) scheduler.schedule(pod("p2").build(), cluster.snapshot());
    assertThat(first.totals()).hasSize(420);
    assertThat(first.node()).isEqualTo("n0000");
    assertThat(second.node()).as("the next cycle starts where the last stopped").isEqualTo("n0420");
  }

  @Test
  void onLargeClustersAPodThatFitsNowhereIsCheckedAgainstEveryNode() {
    Harness.N[] nodes = new Harness.N[300];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = node("n" + i).cpu("1");
    }
    assertThat(cluster(nodes).failure(pod("big").cpu("2")))
        .isEqualTo("0/300 nodes are available: 300 Insufficient cpu.");
  }
}
