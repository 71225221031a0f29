package io.berth.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceTableTest {
  private final ResourceTable table = ResourceTable.builtIn();

  @Test
  void findsResourcesByGroupVersionAndPlural() {
    ResourceType cm = table.find("", "v1", "configmaps").orElseThrow();
    assertThat(cm.kind()).isEqualTo("ConfigMap");
    assertThat(cm.shortNames()).containsExactly("cm");
    assertThat(cm.namespaced()).isTrue();
    assertThat(cm.apiVersion()).isEqualTo("v1");
    assertThat(table.find("apps", "v1", "deployments").orElseThrow().apiVersion()).isEqualTo("apps/v1");
    assertThat(table.find("", "v1", "deployments")).isEmpty();
  }

  @Test
  void namespacesAreClusterScoped() {
    assertThat(table.find("", "v1", "namespaces").orElseThrow().namespaced()).isFalse();
  }

  @Test
  void groupsAndVersionsComeFromTheRows() {
    assertThat(table.coreVersions()).containsExactly("v1");
    assertThat(table.namedGroups()).containsOnlyKeys("apps", "networking.k8s.io", "coordination.k8s.io",
        "rbac.authorization.k8s.io", "authorization.k8s.io");
    assertThat(table.inGroupVersion("", "v1")).extracting(ResourceType::plural)
        .containsExactly("namespaces", "configmaps", "secrets", "pods", "services", "nodes", "endpoints", "events");
    assertThat(table.inGroupVersion("apps", "v1")).extracting(ResourceType::plural)
        .containsExactly("deployments", "replicasets");
    assertThat(table.inGroupVersion("networking.k8s.io", "v1")).extracting(ResourceType::plural)
        .containsExactly("ingresses", "ingressclasses");
    assertThat(table.inGroupVersion("coordination.k8s.io", "v1")).extracting(ResourceType::plural)
        .containsExactly("leases");
    assertThat(table.inGroupVersion("rbac.authorization.k8s.io", "v1")).extracting(ResourceType::plural)
        .containsExactly("clusterrolebindings", "clusterroles", "rolebindings", "roles");
    assertThat(table.inGroupVersion("authorization.k8s.io", "v1")).extracting(ResourceType::plural)
        .containsExactly("selfsubjectaccessreviews", "subjectaccessreviews");
  }

  @Test
  void nodesAndIngressClassesAreClusterScopedWithKubectlsShortNames() {
    assertThat(table.find("", "v1", "nodes").orElseThrow().namespaced()).isFalse();
    assertThat(table.find("networking.k8s.io", "v1", "ingressclasses").orElseThrow().namespaced()).isFalse();
    assertThat(table.find("", "v1", "nodes").orElseThrow().shortNames()).containsExactly("no");
    assertThat(table.find("", "v1", "endpoints").orElseThrow().shortNames()).containsExactly("ep");
    assertThat(table.find("", "v1", "events").orElseThrow().shortNames()).containsExactly("ev");
    assertThat(table.find("apps", "v1", "replicasets").orElseThrow().shortNames()).containsExactly("rs");
    assertThat(table.find("networking.k8s.io", "v1", "ingresses").orElseThrow().shortNames()).containsExactly("ing");
    assertThat(table.find("coordination.k8s.io", "v1", "leases").orElseThrow().namespaced()).isTrue();
  }

  @Test
  void subresourcesAreDeclaredPerResource() {
    assertThat(table.find("", "v1", "pods").orElseThrow().subresources()).extracting(Subresource::name)
        .containsExactlyInAnyOrder("binding", "eviction", "log", "status");
    assertThat(table.find("apps", "v1", "deployments").orElseThrow().subresources()).extracting(Subresource::name)
        .containsExactlyInAnyOrder("scale", "status");
    assertThat(table.find("apps", "v1", "replicasets").orElseThrow().subresource("scale").orElseThrow().kind())
        .isEqualTo("Scale");
    assertThat(table.find("", "v1", "nodes").orElseThrow().subresource("status")).isPresent();
    assertThat(table.find("", "v1", "services").orElseThrow().subresource("status")).isPresent();
    assertThat(table.find("", "v1", "configmaps").orElseThrow().subresources()).isEmpty();
    assertThat(table.find("", "v1", "pods").orElseThrow().subresource("scale")).isEmpty();
  }

  @Test
  void everyStoredResourceAdvertisesWatchAndDeleteCollection() {
    assertThat(table.stored()).allSatisfy(t -> assertThat(t.verbs()).contains("watch", "deletecollection"));
    // Access reviews are questions, not objects: only create, and no watch cache.
    assertThat(table.all()).filteredOn(t -> !table.stored().contains(t)).extracting(ResourceType::kind)
        .containsExactly("SelfSubjectAccessReview", "SubjectAccessReview");
  }

  @Test
  void aResourceListedTwiceIsRefused() {
    ResourceType cm = new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true, List.of(),
        ResourceType.CRUD_VERBS, ConfigMap.class);
    assertThatThrownBy(() -> new ResourceTable(List.of(cm, cm))).hasMessageContaining("listed twice");
  }

  @Test
  void messagesQualifyNamedGroups() {
    assertThat(table.find("apps", "v1", "deployments").orElseThrow().groupResource()).isEqualTo("deployments.apps");
    assertThat(table.find("", "v1", "pods").orElseThrow().groupResource()).isEqualTo("pods");
  }
}
