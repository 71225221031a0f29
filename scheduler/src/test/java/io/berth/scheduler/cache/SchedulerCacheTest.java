package io.berth.scheduler.cache;

import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.scheduler.framework.NodeInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  private final SchedulerCache cache = new SchedulerCache(Duration.ofSeconds(30));

  private NodeInfo info(String name) {
    return cache.snapshot().nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void boundPodsCountOnTheirNodeAndFinishedOnesDoNot() {
    cache.nodeChanged(node("a").build());
    cache.podChanged(pod("x").on("a").cpu("1").build());
    cache.podChanged(pod("pending").cpu("1").build());
    assertThat(info("a").requested().milliCpu()).isEqualTo(1000);

    cache.podChanged(pod("x").on("a").cpu("1").phase("Succeeded").build());
    assertThat(info("a").requested().milliCpu()).isZero();
  }

  @Test
  void anAssumedPodCountsAtOnceAndTheInformersBoundCopyReplacesIt() {
    cache.nodeChanged(node("a").build());
    cache.assume(pod("x").cpu("2").build(), "a");
    assertThat(info("a").requested().milliCpu()).isEqualTo(2000);

    cache.podChanged(pod("x").cpu("2").build());           // the informer still shows it unbound
    assertThat(info("a").pods()).hasSize(1);

    cache.podChanged(pod("x").on("a").cpu("2").build());   // now bound
    assertThat(cache.isAssumed("default/x")).isFalse();
    assertThat(info("a").pods()).hasSize(1);
  }

  @Test
  void aFailedBindFreesTheRoom() {
    cache.nodeChanged(node("a").build());
    cache.assume(pod("x").cpu("2").build(), "a");
    cache.forget("default/x");
    assertThat(info("a").pods()).isEmpty();
    assertThat(cache.isAssumed("default/x")).isFalse();
  }

  @Test
  void anAssumptionWhoseBindSucceededExpiresIfTheInformerNeverShowsIt() {
    cache.nodeChanged(node("a").build());
    cache.assume(pod("x").build(), "a");
    cache.assume(pod("y").build(), "a");
    cache.bound("default/x", 0);
    assertThat(cache.expireAssumed(Duration.ofSeconds(31).toNanos())).as("y's bind is still under way").isEqualTo(1);
    assertThat(info("a").pods()).extracting(p -> p.getMetadata().getName()).containsExactly("y");
  }

  @Test
  void podsOnANodeNotYetSeenCountOnceItArrives() {
    cache.podChanged(pod("x").on("late").cpu("1").build());
    assertThat(cache.snapshot().nodes()).isEmpty();
    cache.nodeChanged(node("late").build());
    assertThat(info("late").requested().milliCpu()).isEqualTo(1000);
  }

  @Test
  void aDeletedNodeLeavesTheSnapshotAndNodesStayInNameOrder() {
    cache.nodeChanged(node("c").build());
    cache.nodeChanged(node("a").build());
    cache.nodeChanged(node("b").build());
    cache.nodeDeleted(node("b").build());
    assertThat(cache.snapshot().nodes()).extracting(NodeInfo::name).containsExactly("a", "c");
  }

  @Test
  void aNewTermDoesNotInheritAssumptions() {
    cache.nodeChanged(node("a").build());
    cache.assume(pod("x").build(), "a");
    cache.forgetAll();
    assertThat(cache.assumedCount()).isZero();
    assertThat(info("a").pods()).isEmpty();
  }
}
