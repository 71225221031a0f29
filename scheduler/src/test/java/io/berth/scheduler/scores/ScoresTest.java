package io.berth.scheduler.scores;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static io.berth.scheduler.Harness.req;
import static io.berth.scheduler.Harness.term;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScoresTest {
  @Test
  void leastAllocatedIsTheMeanFreeShareAfterPlacement() {
    var cluster = cluster(node("a").cpu("4").memory("4Gi")).with(pod("x").on("a").cpu("1").memory("1Gi"));
    // after: cpu 2/4 used (50 free), memory 1Gi/4Gi used (75 free)
    assertThat(new LeastAllocated().raw(pod("p").cpu("1").build(), cluster.info("a"))).isEqualTo(62);
  }

  @Test
  void balancedAllocationPenalisesTheGapBetweenCpuAndMemory() {
    var cluster = cluster(node("a").cpu("4").memory("4Gi"));
    assertThat(new BalancedAllocation().raw(pod("p").cpu("2").memory("2Gi").build(), cluster.info("a"))).isEqualTo(100);
    assertThat(new BalancedAllocation().raw(pod("p").cpu("3").memory("1Gi").build(), cluster.info("a"))).isEqualTo(50);
  }

  @Test
  void balancedAllocationDecidesBetweenOtherwiseEqualNodes() {
    // a is cpu-heavy, b memory-heavy; a memory-heavy pod evens a out
    var cluster = cluster(node("a"), node("b"))
        .with(pod("x").on("a").cpu("2").memory("1Gi"), pod("y").on("b").cpu("500m").memory("4Gi"));
    assertThat(cluster.placed(pod("p").cpu("500m").memory("3Gi"))).isEqualTo("a");
  }

  @Test
  void replicasSpreadAcrossNodes() {
    var cluster = cluster(node("a"), node("b"), node("c"))
        .with(pod("rs-1").on("a").ownedBy("rs"), pod("rs-2").on("b").ownedBy("rs"), pod("other").on("c").ownedBy("x"));
    assertThat(new SpreadByOwner().raw(pod("rs-3").ownedBy("rs").build(), cluster.info("a"))).isEqualTo(1);
    assertThat(new SpreadByOwner().raw(pod("rs-3").ownedBy("rs").build(), cluster.info("c"))).isEqualTo(0);
    assertThat(cluster.placed(pod("rs-3").ownedBy("rs"))).isEqualTo("c");
  }

  @Test
  void preferredNodeAffinitySumsTheWeightsOfMatchingTerms() {
    var cluster = cluster(node("a").label("zone", "z1"), node("b").label("zone", "z2").label("ssd", "yes"));
    var pod = pod("p").prefer(10, term(req("zone", "In", "z1"))).prefer(30, term(req("ssd", "Exists")));
    assertThat(new PreferredNodeAffinity().raw(pod.build(), cluster.info("a"))).isEqualTo(10);
    assertThat(new PreferredNodeAffinity().raw(pod.build(), cluster.info("b"))).isEqualTo(30);
    assertThat(cluster.placed(pod)).isEqualTo("b");
  }

  @Test
  void preferNoScheduleTaintsCountOnlyUntoleratedOnes() {
    var cluster = cluster(node("a").taint("slow", "disk", "PreferNoSchedule"), node("b"));
    assertThat(new PreferNoScheduleTaints().raw(pod("p").build(), cluster.info("a"))).isEqualTo(1);
    assertThat(new PreferNoScheduleTaints().raw(pod("p").tolerate("slow", "disk", "PreferNoSchedule").build(), cluster.info("a")))
        .isEqualTo(0);
    assertThat(cluster.placed(pod("p"))).isEqualTo("b");
  }
}
