package io.berth.controllers.replicaset;

import static io.berth.controllers.testing.Objects.T0;
import static io.berth.controllers.testing.Objects.pod;
import static io.berth.controllers.testing.Objects.replicaSet;
import static io.berth.controllers.testing.Objects.terminating;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSetDecisionTest {
  private static final Map<String, String> WEB = Map.of("app", "web");
  private final ReplicaSet rs = replicaSet("web", 3, WEB);

  @Test
  void createsTheMissingPods() {
    ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, List.of(pod("a", WEB, rs, T0)), true, T0);

    assertThat(plan.create()).isEqualTo(2);
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void deletesOnlyTheSurplus() {
    List<Pod> pods = List.of(pod("a", WEB, rs, T0), pod("b", WEB, rs, T0), pod("c", WEB, rs, T0),
        pod("d", WEB, rs, null), pod("e", WEB, rs, T0));

    ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, pods, true, T0);

    assertThat(plan.create()).isZero();
    assertThat(plan.delete()).hasSize(2);
    assertThat(plan.delete().get(0).getMetadata().getName()).as("the not-ready pod goes first").isEqualTo("d");
  }

  @Test
  void actsOnNothingButStatusWhileItsOwnWritesAreNotYetSeen() {
    ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, List.of(), false, T0);

    assertThat(plan.create()).isZero();
    assertThat(plan.status().getReplicas()).isZero();
  }

  @Test
  void terminatingPodsDoNotCountSoTheyAreReplaced() {
    List<Pod> pods = List.of(pod("a", WEB, rs, T0), pod("b", WEB, rs, T0), terminating(pod("c", WEB, rs, T0)));

    ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, pods, true, T0);

    assertThat(plan.create()).isEqualTo(1);
    assertThat(plan.status().getReplicas()).isEqualTo(2);
  }

  @Test
  void adoptsMatchingOrphansAndCountsThem() {
    List<Pod> pods = List.of(pod("mine", WEB, rs, T0), pod("orphan", WEB, null, T0),
        pod("other-app", Map.of("app", "api"), null, T0));

    ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, pods, true, T0);

    assertThat(plan.adopt()).extracting(p -> p.getMetadata().getName()).containsExactly("orphan");
    assertThat(plan.create()).isEqualTo(1);
  }

  @Test
  void releasesOwnedPodsThatNoLongerMatchAndReplacesThem() {
    List<Pod> pods = List.of(pod("a", WEB, rs, T0), pod("b", WEB, rs, T0),
        pod("relabelled", Map.of("app", "debug"), rs, T0));

    ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, pods, true, T0);

    assertThat(plan.release()).extracting(p -> p.getMetadata().getName()).containsExactly("relabelled");
    assertThat(plan.create()).isEqualTo(1);
  }

  @Test
  void neverTouchesPodsAnotherControllerOwns() {
    ReplicaSet other = replicaSet("other", 1, WEB);

    ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, List.of(pod("theirs", WEB, other, T0)), true, T0);

    assertThat(plan.adopt()).isEmpty();
    assertThat(plan.release()).isEmpty();
    assertThat(plan.create()).isEqualTo(3);
  }

  @Test
  void aReplicaSetBeingDeletedAdoptsNothingAndDoesNotScale() {
    ReplicaSet deleting = new ReplicaSetBuilder(rs).editMetadata().withDeletionTimestamp(T0.toString())
        .endMetadata().build();

    ReplicaSetPlan plan = ReplicaSetDecision.plan(deleting, List.of(pod("orphan", WEB, null, T0)), true, T0);

    assertThat(plan.adopt()).isEmpty();
    assertThat(plan.create()).isZero();
  }

  @Test
  void createsAtMostABurstPerSync() {
    ReplicaSet big = new ReplicaSetBuilder(rs).editSpec().withReplicas(2000).endSpec().build();

    assertThat(ReplicaSetDecision.plan(big, List.of(), true, T0).create()).isEqualTo(ReplicaSetDecision.BURST);
  }

  @Test
  void statusCountsReadyAndAvailableWithMinReadySecondsAndAsksToLookAgain() {
    ReplicaSet slow = new ReplicaSetBuilder(rs).editSpec().withMinReadySeconds(10).endSpec().build();
    List<Pod> pods = new ArrayList<>(List.of(
        pod("long-ready", WEB, slow, T0.minusSeconds(60)),
        pod("just-ready", WEB, slow, T0.minusSeconds(4)),
        pod("not-ready", WEB, slow, null)));
    pods.add(new PodBuilder(pod("unlabelled", Map.of("app", "web"), slow, null)).editMetadata()
        .withLabels(Map.of("app", "web")).endMetadata().build());

    ReplicaSetPlan plan = ReplicaSetDecision.plan(slow, pods, true, T0);

    assertThat(plan.status().getReplicas()).isEqualTo(4);
    assertThat(plan.status().getFullyLabeledReplicas()).isEqualTo(4);
    assertThat(plan.status().getReadyReplicas()).isEqualTo(2);
    assertThat(plan.status().getAvailableReplicas()).isEqualTo(1);
    assertThat(plan.status().getObservedGeneration()).isEqualTo(1L);
    assertThat(plan.recheckAfter()).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(7));
  }
}
