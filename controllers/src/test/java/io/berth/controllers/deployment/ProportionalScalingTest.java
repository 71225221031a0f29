package io.berth.controllers.deployment;

import static io.berth.controllers.deployment.RollingUpdateTest.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProportionalScalingTest {

  static RsView sizedFor(RsView view, int desired, int max) {
    return new RsView(new ReplicaSetBuilder(view.rs()).editMetadata()
        .addToAnnotations(Revisions.DESIRED_REPLICAS, Integer.toString(desired))
        .addToAnnotations(Revisions.MAX_REPLICAS, Integer.toString(max)).endMetadata().build(),
        view.replicas(), view.active(), view.available());
  }

  @Test
  void aResizeInTheMiddleOfARolloutIsSharedInProportion() {
    // 10 replicas, maxSurge 3: mid-rollout the old has 8 and the new 5 (13 = 10 + 3).
    RsView old = sizedFor(view("old", 1, 8, 8, 8), 10, 13);
    RsView fresh = sizedFor(view("new", 2, 5, 5, 0), 10, 13);

    assertThat(ProportionalScaling.isScalingEvent(20, fresh, List.of(old))).isTrue();
    List<Scale> scales = ProportionalScaling.scale(20, new Bounds(5, 5), true, fresh, List.of(old));

    // The room grows from 13 to 25: old 8 -> 15 (8 * 25 / 13 = 15.4), new 5 -> 10 (9.6), total 25.
    assertThat(scales).containsExactlyInAnyOrder(new Scale(old.rs(), 15), new Scale(fresh.rs(), 10));
  }

  @Test
  void shrinkingTakesFromEachInProportion() {
    RsView old = sizedFor(view("old", 1, 6, 6, 6), 10, 12);
    RsView fresh = sizedFor(view("new", 2, 6, 6, 0), 10, 12);

    List<Scale> scales = ProportionalScaling.scale(4, new Bounds(2, 1), true, fresh, List.of(old));

    assertThat(scales.stream().mapToInt(Scale::replicas).sum()).isEqualTo(6);
    assertThat(scales).containsExactlyInAnyOrder(new Scale(old.rs(), 3), new Scale(fresh.rs(), 3));
  }

  @Test
  void oneActiveReplicaSetSimplyTakesTheNewSize() {
    RsView only = sizedFor(view("only", 1, 3, 3, 3), 3, 4);

    assertThat(ProportionalScaling.scale(7, new Bounds(1, 1), true, only, List.of()))
        .containsExactly(new Scale(only.rs(), 7));
  }

  @Test
  void noEventWhenEveryActiveReplicaSetWasSizedForThisSize() {
    RsView only = sizedFor(view("only", 1, 3, 3, 3), 3, 4);

    assertThat(ProportionalScaling.isScalingEvent(3, only, List.of())).isFalse();
  }
}
