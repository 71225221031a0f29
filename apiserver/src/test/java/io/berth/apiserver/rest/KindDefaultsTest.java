package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
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
  void aNamespaceBeingDeletedIsTerminatingAndItsEmptiedFinalizersStayEmpty() {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("x").withDeletionTimestamp("2026-01-01T00:00:00Z")
        .endMetadata().withNewSpec().endSpec().withNewStatus().withPhase("Active").endStatus().build();
    KindDefaults.apply(ns);
    assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(ns.getSpec().getFinalizers()).isEmpty();
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
  void aNodeCanAllocateItsWholeCapacityUnlessItSaysOtherwise() {
    Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewStatus()
        .addToCapacity("cpu", new Quantity("4")).endStatus().build();
    KindDefaults.apply(node);
    assertThat(node.getStatus().getAllocatable()).containsEntry("cpu", new Quantity("4"));
  }

  @Test
  void podsAndServicesAreDefaultedThroughTheirKind() {
    Pod pod = new PodBuilder().withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer()
        .endSpec().build();
    KindDefaults.apply(pod);
    assertThat(pod.getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
    Service service = new ServiceBuilder().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build();
    KindDefaults.apply(service);
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
  }

  @Test
  void otherKindsAreLeftAsSent() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().withData(Map.of("k", "v")).build();
    ConfigMap copy = new ConfigMapBuilder(cm).build();
    KindDefaults.apply(cm);
    assertThat(cm).isEqualTo(copy);
  }
}
