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
    assertThat(table.namedGroups()).containsOnlyKeys("apps");
    assertThat(table.inGroupVersion("", "v1")).extracting(ResourceType::plural)
        .containsExactly("namespaces", "configmaps", "secrets", "pods", "services");
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
