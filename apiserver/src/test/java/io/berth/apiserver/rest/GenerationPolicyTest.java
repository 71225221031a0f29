package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class GenerationPolicyTest {
  private static Deployment deployment(int replicas, String label) {
    return new DeploymentBuilder().withNewMetadata().withName("web").addToLabels("l", label).endMetadata()
        .withNewSpec().withReplicas(replicas).endSpec().build();
  }

  @Test
  void createStartsAtOne() {
    Deployment d = deployment(1, "a");
    d.getMetadata().setGeneration(7L);
    GenerationPolicy.onCreate(d);
    assertThat(d.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void onlySpecChangesBumpIt() {
    Deployment stored = deployment(1, "a");
    GenerationPolicy.onCreate(stored);

    Deployment relabelled = deployment(1, "b");
    GenerationPolicy.onUpdate(relabelled, stored);
    assertThat(relabelled.getMetadata().getGeneration()).isEqualTo(1L);

    Deployment scaled = deployment(3, "b");
    scaled.getMetadata().setGeneration(99L);
    GenerationPolicy.onUpdate(scaled, relabelled);
    assertThat(scaled.getMetadata().getGeneration()).as("clients cannot set it").isEqualTo(2L);
  }

  @Test
  void kindsWithoutGenerationAreLeftAlone() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build();
    GenerationPolicy.onCreate(cm);
    assertThat(cm.getMetadata().getGeneration()).isNull();
  }
}
