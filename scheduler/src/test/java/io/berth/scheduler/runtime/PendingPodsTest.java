package io.berth.scheduler.runtime;

import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingPodsTest {
  @Test
  void whichPodsAreOurs() {
    assertThat(PendingPods.isPendingForUs(pod("p").build())).isTrue();
    Pod berth = pod("p").build();
    berth.getSpec().setSchedulerName("berth");
    assertThat(PendingPods.isPendingForUs(berth)).isTrue();
    Pod other = pod("p").build();
    other.getSpec().setSchedulerName("volcano");
    assertThat(PendingPods.isPendingForUs(other)).isFalse();
    assertThat(PendingPods.isPendingForUs(pod("p").on("a").build())).isFalse();
    Pod deleting = pod("p").build();
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(PendingPods.isPendingForUs(deleting)).isFalse();
  }

  @Test
  void theBindingNamesThePodAndTheNode() {
    var binding = PendingPods.binding(pod("web").build(), "n1");
    assertThat(PendingPods.bindingPath(pod("web").build())).isEqualTo("/api/v1/namespaces/default/pods/web/binding");
    assertThat(binding.getMetadata().getUid()).isEqualTo("uid-web");
    assertThat(binding.getTarget().getName()).isEqualTo("n1");
    assertThat(binding.getTarget().getKind()).isEqualTo("Node");
  }

  @Test
  void unschedulableConditionIsWrittenOnceForTheSameMessage() {
    Pod cached = pod("p").build();
    Pod marked = PodConditions.withUnschedulable(cached, "0/1 nodes are available: 1 Too many pods.", Instant.EPOCH);
    assertThat(marked.getStatus().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("PodScheduled");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("Unschedulable");
      assertThat(c.getMessage()).isEqualTo("0/1 nodes are available: 1 Too many pods.");
    });
    assertThat(cached.getStatus()).isNull();
    assertThat(PodConditions.withUnschedulable(marked, "0/1 nodes are available: 1 Too many pods.", Instant.EPOCH)).isNull();
    assertThat(PodConditions.withUnschedulable(marked, "0/2 nodes are available: 2 Too many pods.", Instant.EPOCH)
        .getStatus().getConditions()).hasSize(1);
  }
}
