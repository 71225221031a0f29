package io.berth.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodGcDecisionTest {
  @Test
  void finishedPodsBeyondTheThresholdAreDeletedOldestFirst() {
    Pod old = pod("old", "n1", "Succeeded", "2026-01-01T00:00:00Z", false);
    Pod middle = pod("middle", "n1", "Failed", "2026-01-01T00:01:00Z", false);
    Pod recent = pod("recent", "n1", "Succeeded", "2026-01-01T00:02:00Z", false);
    Pod running = pod("running", "n1", "Running", "2025-01-01T00:00:00Z", false);
    PodGcDecision.Plan plan = PodGcDecision.plan(List.of(recent, running, middle, old), Set.of("n1"), 1);
    assertThat(plan.terminated()).containsExactly(old, middle);
    assertThat(plan.orphaned()).isEmpty();
  }

  @Test
  void podsOnNodesThatAreGoneAreForceDeletedWhetherOrNotBeingDeleted() {
    Pod stranded = pod("stranded", "gone", "Running", "2026-01-01T00:00:00Z", false);
    Pod stuck = pod("stuck", "gone", "Running", "2026-01-01T00:00:00Z", true);
    Pod fine = pod("fine", "n1", "Running", "2026-01-01T00:00:00Z", true);
    Pod unbound = pod("unbound", null, "Pending", "2026-01-01T00:00:00Z", false);
    PodGcDecision.Plan plan = PodGcDecision.plan(List.of(stranded, stuck, fine, unbound), Set.of("n1"), 100);
    assertThat(plan.orphaned()).containsExactly(stranded, stuck);
    assertThat(plan.terminated()).isEmpty();
  }

  private static Pod pod(String name, String node, String phase, String created, boolean deleting) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withCreationTimestamp(created)
        .withDeletionTimestamp(deleting ? "2026-01-02T00:00:00Z" : null).endMetadata()
        .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase).endStatus().build();
  }
}
