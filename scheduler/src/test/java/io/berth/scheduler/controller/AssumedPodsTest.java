package io.berth.scheduler.controller;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.scheduler.filters.DefaultFilters;
import io.berth.scheduler.framework.ClusterSnapshot;
import io.berth.scheduler.framework.ScheduleResult;
import io.berth.scheduler.framework.Scheduler;
import io.berth.scheduler.scores.DefaultScores;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssumedPodsTest {
  private final AssumedPods assumed = new AssumedPods();
  private final Scheduler scheduler = new Scheduler(DefaultFilters.all(), DefaultScores.all());
  private final List<Node> nodes = cluster(node("a").cpu("1"), node("b").cpu("1")).snapshot().nodes().stream()
      .map(info -> info.node()).toList();

  private ScheduleResult cycle(Pod pod, List<Pod> cached) {
    return scheduler.schedule(pod, new ClusterSnapshot(nodes, assumed.overlay(cached)));
  }

  @Test
  void anAssumedPodTakesRoomOnItsNodeBeforeTheInformerShowsItBound() {
    Pod first = pod("first").cpu("1").build();
    Pod second = pod("second").cpu("1").build();
    List<Pod> cached = List.of(first, second);                    // both still unbound in the cache
    var placed = (ScheduleResult.Scheduled) cycle(first, cached);
    assertThat(placed.node()).isEqualTo("a");
    assumed.assume(first, placed.node());
    assertThat(assumed.isAssumed("default/first")).isTrue();
    assertThat(((ScheduleResult.Scheduled) cycle(second, cached)).node()).isEqualTo("b");
  }

  @Test
  void aFailedBindIsForgottenAndFreesTheRoom() {
    Pod first = pod("first").cpu("1").build();
    assumed.assume(first, "a");
    assumed.assume(pod("other").cpu("1").build(), "b");
    assertThat(cycle(pod("third").cpu("1").build(), List.of(first))).isInstanceOf(ScheduleResult.Unschedulable.class);
    assumed.forget("default/first");
    assertThat(assumed.isAssumed("default/first")).isFalse();
    assertThat(((ScheduleResult.Scheduled) cycle(pod("third").cpu("1").build(), List.of(first))).node()).isEqualTo("a");
  }

  @Test
  void theAssumptionEndsWhenTheInformerShowsThePodBound() {
    Pod first = pod("first").cpu("1").build();
    assumed.assume(first, "a");
    assumed.observed(first);                                       // an unbound version: still assumed
    assertThat(assumed.nodeOf("default/first")).contains("a");
    Pod bound = pod("first").cpu("1").on("a").build();
    assumed.observed(bound);
    assertThat(assumed.isAssumed("default/first")).isFalse();
    // the bound pod from the cache still counts, exactly once
    assertThat(assumed.overlay(List.of(bound))).containsExactly(bound);
  }

  @Test
  void overlayReplacesTheUnboundCachedCopyAndLeavesTheCachedObjectAlone() {
    Pod cachedCopy = pod("first").cpu("1").build();
    assumed.assume(cachedCopy, "a");
    List<Pod> overlaid = assumed.overlay(List.of(cachedCopy, pod("other").build()));
    assertThat(overlaid).hasSize(2);
    assertThat(overlaid).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder(null, "a");
    assertThat(cachedCopy.getSpec().getNodeName()).isNull();
  }
}
