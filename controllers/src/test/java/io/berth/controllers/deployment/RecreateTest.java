package io.berth.controllers.deployment;

import static io.berth.controllers.deployment.RollingUpdateTest.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecreateTest {

  @Test
  void oldReplicaSetsGoToZeroFirst() {
    RsView old = view("old", 1, 3, 3, 3);

    RolloutPlan plan = Recreate.step(3, new RsView(null, 0, 0, 0), List.of(old), 3);

    assertThat(plan.olds()).containsExactly(new Scale(old.rs(), 0));
    assertThat(plan.newReplicas()).isNull();
  }

  @Test
  void theNewReplicaSetWaitsUntilNoOldPodIsLeft() {
    RsView old = view("old", 1, 0, 1, 0);

    assertThat(Recreate.step(3, new RsView(null, 0, 0, 0), List.of(old), 1).isEmpty()).isTrue();
  }

  @Test
  void thenTheNewReplicaSetGetsTheWholeSizeAtOnce() {
    RsView old = view("old", 1, 0, 0, 0);

    assertThat(Recreate.step(3, new RsView(null, 0, 0, 0), List.of(old), 0).newReplicas()).isEqualTo(3);
    assertThat(Recreate.step(3, view("new", 2, 3, 3, 3), List.of(old), 0).isEmpty()).isTrue();
  }
}
