package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KindDefaultsTest {
  @Test
  void aNewNamespaceIsActiveWithTheKubernetesFinalizer() {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().build();
    KindDefaults.apply(ns);
    assertThat(ns.getStatus().getPhase()).isEqualTo("Active");
    assertThat(ns.getSpec().getFinalizers()).containsExactly("kubernetes");
    assertThat(ns.getMetadata().getLabels()).containsEntry("kubernetes.io/metadata.name", "x");
  }

  @Test
  void secretStringDataIsMergedIntoDataAndNotKept() {
    Secret secret = new SecretBuilder().withNewMetadata().withName("s").endMetadata()
        .withData(Map.of("a", "YQ==", "b", "YQ==")).withStringData(Map.of("b", "bee")).build();
    KindDefaults.apply(secret);
    assertThat(secret.getData()).containsEntry("a", "YQ==").containsEntry("b", "YmVl");
    assertThat(secret.getStringData()).isNull();
    assertThat(secret.getType()).isEqualTo("Opaque");
  }

  @Test
  void otherKindsAreLeftAsSent() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().withData(Map.of("k", "v")).build();
    ConfigMap copy = new ConfigMapBuilder(cm).build();
    KindDefaults.apply(cm);
    assertThat(cm).isEqualTo(copy);
  }
}
