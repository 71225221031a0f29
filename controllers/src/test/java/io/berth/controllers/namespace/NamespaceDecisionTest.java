package io.berth.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceDecisionTest {
  @Test
  void aTerminatingNamespaceHasItsContentDeletedBeforeItsFinalizerGoes() {
    ConfigMap live = configMap("live", null);
    ConfigMap going = configMap("going", "2026-01-01T00:00:00Z");
    NamespaceDecision.Plan plan = NamespaceDecision.plan(namespace(true), List.of(live, going));
    assertThat(plan.delete()).containsExactly(live);
    assertThat(plan.waitingFor()).isEqualTo(2);
    assertThat(plan.removeFinalizer()).isFalse();
  }

  @Test
  void anEmptyTerminatingNamespaceLosesItsFinalizer() {
    assertThat(NamespaceDecision.plan(namespace(true), List.of()).removeFinalizer()).isTrue();
  }

  @Test
  void aLiveNamespaceIsLeftAlone() {
    NamespaceDecision.Plan plan = NamespaceDecision.plan(namespace(false), List.<HasMetadata>of(configMap("c", null)));
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.removeFinalizer()).isFalse();
  }

  private static Namespace namespace(boolean terminating) {
    return new NamespaceBuilder().withNewMetadata().withName("team")
        .withDeletionTimestamp(terminating ? "2026-01-01T00:00:00Z" : null).endMetadata()
        .withNewSpec().withFinalizers("kubernetes").endSpec().build();
  }

  private static ConfigMap configMap(String name, String deletionTimestamp) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("team")
        .withDeletionTimestamp(deletionTimestamp).endMetadata().build();
  }
}
