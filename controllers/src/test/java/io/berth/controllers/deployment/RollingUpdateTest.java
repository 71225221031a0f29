package io.berth.controllers.deployment;

import static io.berth.controllers.testing.Objects.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollingUpdateTest {
  private static final Bounds SURGE_1_UNAVAILABLE_1 = new Bounds(1, 1);

  static RsView view(String name, long revision, int replicas, int active, int available) {
    ReplicaSet rs = new ReplicaSetBuilder(replicaSet(name, replicas, Map.of("app", name))).editMetadata()
        .addToAnnotations(Revisions.REVISION, Long.toString(revision)).endMetadata().build();
    return new RsView(rs, replicas, active, available);
  }

  @Test
  void theFirstStepCreatesTheNewReplicaSetIntoTheSurgeAndShrinksTheOldByTheUnavailableBudget() {
    RsView old = view("old", 1, 4, 4, 4);

    RolloutPlan plan = RollingUpdate.step(4, SURGE_1_UNAVAILABLE_1, new RsView(null, 0, 0, 0), List.of(old));

    assertThat(plan.newReplicas()).isEqualTo(1);
    assertThat(plan.olds()).containsExactly(new Scale(old.rs(), 3));
  }

  @Test
  void theNewReplicaSetDoesNotGrowWhilePodsTheOldGaveUpAreStillThere() {
    // The old ReplicaSet was told 3, but its 4th pod is not gone yet: no room under 4 + 1.
    RsView old = view("old", 1, 3, 4, 4);
    RsView fresh = view("new", 2, 1, 1, 0);

    RolloutPlan plan = RollingUpdate.step(4, SURGE_1_UNAVAILABLE_1, fresh, List.of(old));

    assertThat(plan.newReplicas()).isNull();
  }

  @Test
  void oldPodsAreNotTakenWhileNewOnesAreUnavailable() {
    RsView old = view("old", 1, 3, 3, 3);
    RsView fresh = view("new", 2, 2, 2, 0);

    RolloutPlan plan = RollingUpdate.step(4, SURGE_1_UNAVAILABLE_1, fresh, List.of(old));

    assertThat(plan.olds()).isEmpty();
  }

  @Test
  void oldUnavailablePodsGoFirstAndCostNoAvailability() {
    RsView old = view("old", 1, 4, 4, 2);
    RsView fresh = view("new", 2, 1, 1, 1);

    RolloutPlan plan = RollingUpdate.step(4, new Bounds(1, 0), fresh, List.of(old));

    // 4 + 1 - 4 = 1 may go: one of the two unavailable ones; no available one (3 available = 4 - 0 needed... not yet).
    assertThat(plan.olds()).containsExactly(new Scale(old.rs(), 3));
  }

  @Test
  void availablePodsCountedNoHigherThanTheirReplicaSetsSize() {
    // The old ReplicaSet shrank to 2 but still shows 4 available pods: only 2 of them count.
    RsView old = view("old", 1, 2, 4, 4);
    RsView fresh = view("new", 2, 2, 2, 1);

    RolloutPlan plan = RollingUpdate.step(4, SURGE_1_UNAVAILABLE_1, fresh, List.of(old));

    // available at least 2 + 1 = 3 = 4 - 1: nothing more may go.
    assertThat(plan.olds()).isEmpty();
  }

  @Test
  void theOldestReplicaSetsShrinkFirst() {
    RsView oldest = view("oldest", 1, 2, 2, 2);
    RsView older = view("older", 2, 2, 2, 2);
    RsView fresh = view("new", 3, 1, 1, 1);

    RolloutPlan plan = RollingUpdate.step(4, new Bounds(1, 2), fresh, List.of(older, oldest));

    assertThat(plan.olds()).containsExactly(new Scale(oldest.rs(), 0), new Scale(older.rs(), 1));
  }

  @Test
  void aCompleteRolloutHasNothingToDo() {
    RsView old = view("old", 1, 0, 0, 0);
    RsView fresh = view("new", 2, 4, 4, 4);

    assertThat(RollingUpdate.step(4, SURGE_1_UNAVAILABLE_1, fresh, List.of(old)).isEmpty()).isTrue();
  }

  @Test
  void percentagesRoundSurgeUpAndUnavailableDown() {
    assertThat(Bounds.of(new IntOrString("25%"), new IntOrString("25%"), 10)).isEqualTo(new Bounds(3, 2));
    assertThat(Bounds.of(new IntOrString("10%"), new IntOrString("10%"), 5)).isEqualTo(new Bounds(1, 0));
    assertThat(Bounds.of(new IntOrString(0), new IntOrString("10%"), 5))
        .as("both zero would never progress").isEqualTo(new Bounds(0, 1));
  }

  @Test
  void aSimulatedRolloutNeverBreaksItsBoundsAndFinishes() {
    // Each round: the controller steps; then pods follow (old ones go at once, new ones become
    // available one round later). The bounds are checked on the pods at every round.
    int desired = 5;
    Bounds bounds = new Bounds(2, 1);
    RsView old = view("old", 1, 5, 5, 5);
    RsView fresh = new RsView(null, 0, 0, 0);
    for (int round = 0; round < 30; round++) {
      RolloutPlan plan = RollingUpdate.step(desired, bounds, fresh, List.of(old));
      int newSize = plan.newReplicas() == null ? fresh.replicas() : plan.newReplicas();
      int oldSize = plan.olds().isEmpty() ? old.replicas() : plan.olds().get(0).replicas();
      ReplicaSet newRs = fresh.rs() != null ? fresh.rs() : view("new", 2, 0, 0, 0).rs();
      int oldActive = Math.min(old.active(), oldSize);
      int oldAvailable = Math.min(old.available(), oldActive);
      int newAvailable = Math.min(newSize, fresh.active());
      fresh = new RsView(newRs, newSize, newSize, newAvailable);
      old = new RsView(old.rs(), oldSize, oldActive, oldAvailable);
      assertThat(fresh.active() + old.active()).isLessThanOrEqualTo(desired + bounds.maxSurge());
      assertThat(fresh.available() + old.available()).isGreaterThanOrEqualTo(desired - bounds.maxUnavailable());
    }
    assertThat(fresh.replicas()).isEqualTo(desired);
    assertThat(fresh.available()).isEqualTo(desired);
    assertThat(old.replicas()).isZero();
  }
}
