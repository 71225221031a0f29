package io.berth.apiserver.defaulting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDefaultsTest {
  @Test
  void aNewPodIsPendingAndBestEffortWithoutResources() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build();
    PodDefaults.apply(pod);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getStatus().getQosClass()).isEqualTo("BestEffort");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Always");
  }

  @Test
  void aReportedPhaseIsKept() {
    Pod pod = new PodBuilder().withNewSpec().endSpec().withNewStatus().withPhase("Running").endStatus().build();
    PodDefaults.apply(pod);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void qosIsGuaranteedWhenRequestsEqualLimitsForCpuAndMemory() {
    Container exact = container(Map.of("cpu", "500m", "memory", "128Mi"), Map.of("cpu", "0.5", "memory", "128Mi"));
    Container limitsOnly = container(Map.of(), Map.of("cpu", "1", "memory", "1Gi"));
    assertThat(PodDefaults.qosClass(List.of(exact, limitsOnly))).isEqualTo("Guaranteed");
  }

  @Test
  void qosIsBurstableWhenSomeResourceIsAskedForButNotPinned() {
    assertThat(PodDefaults.qosClass(List.of(container(Map.of("cpu", "100m"), Map.of())))).isEqualTo("Burstable");
    Container noMemoryLimit = container(Map.of(), Map.of("cpu", "1"));
    assertThat(PodDefaults.qosClass(List.of(noMemoryLimit))).isEqualTo("Burstable");
    Container pinned = container(Map.of(), Map.of("cpu", "1", "memory", "1Gi"));
    assertThat(PodDefaults.qosClass(List.of(pinned, new ContainerBuilder().withName("b").build())))
        .isEqualTo("Burstable");
  }

  private static Container container(Map<String, String> requests, Map<String, String> limits) {
    ContainerBuilder c = new ContainerBuilder().withName("c").withNewResources().endResources();
    Container built = c.build();
    built.getResources().setRequests(quantities(requests));
    built.getResources().setLimits(quantities(limits));
    return built;
  }

  private static Map<String, Quantity> quantities(Map<String, String> amounts) {
    return amounts.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> new Quantity(e.getValue())));
  }
}
