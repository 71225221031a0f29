package io.berth.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceTable;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  private final Discovery discovery = new Discovery(ResourceTable.builtIn());

  @Test
  void apiListsTheCoreVersion() {
    JsonNode api = discovery.document("/api").orElseThrow();
    assertThat(api.get("kind").asText()).isEqualTo("APIVersions");
    assertThat(api.get("versions").toString()).isEqualTo("[\"v1\"]");
  }

  @Test
  void apisListsNamedGroupsWithAPreferredVersion() {
    JsonNode apis = discovery.document("/apis").orElseThrow();
    assertThat(apis.get("kind").asText()).isEqualTo("APIGroupList");
    JsonNode apps = apis.get("groups").get(0);
    assertThat(apps.get("name").asText()).isEqualTo("apps");
    assertThat(apps.at("/versions/0/groupVersion").asText()).isEqualTo("apps/v1");
    assertThat(apps.at("/preferredVersion/version").asText()).isEqualTo("v1");
  }

  @Test
  void resourceListsCarryWhatKubectlNeeds() {
    JsonNode v1 = discovery.document("/api/v1").orElseThrow();
    assertThat(v1.get("kind").asText()).isEqualTo("APIResourceList");
    assertThat(v1.get("groupVersion").asText()).isEqualTo("v1");
    JsonNode configMaps = null;
    for (JsonNode r : v1.get("resources")) {
      if (r.get("name").asText().equals("configmaps")) {
        configMaps = r;
      }
    }
    assertThat(configMaps).isNotNull();
    assertThat(configMaps.get("singularName").asText()).isEqualTo("configmap");
    assertThat(configMaps.get("namespaced").asBoolean()).isTrue();
    assertThat(configMaps.get("kind").asText()).isEqualTo("ConfigMap");
    assertThat(configMaps.get("shortNames").toString()).isEqualTo("[\"cm\"]");
    assertThat(configMaps.get("verbs").toString()).contains("\"create\"", "\"list\"", "\"delete\"");

    JsonNode apps = discovery.document("/apis/apps/v1/").orElseThrow();
    assertThat(apps.get("groupVersion").asText()).isEqualTo("apps/v1");
    assertThat(apps.at("/resources/0/shortNames/0").asText()).isEqualTo("deploy");
  }

  @Test
  void subresourcesAreListedAfterTheirResourceAsKubernetesDoes() {
    JsonNode v1 = discovery.document("/api/v1").orElseThrow();
    JsonNode status = resource(v1, "pods/status");
    assertThat(status.get("kind").asText()).isEqualTo("Pod");
    assertThat(status.get("singularName").asText()).isEmpty();
    assertThat(status.get("namespaced").asBoolean()).isTrue();
    assertThat(status.get("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");
    assertThat(status.has("group")).isFalse();
    assertThat(resource(v1, "pods/binding").get("verbs").toString()).isEqualTo("[\"create\"]");
    assertThat(resource(v1, "pods/log").get("verbs").toString()).isEqualTo("[\"get\"]");
    JsonNode eviction = resource(v1, "pods/eviction");
    assertThat(eviction.get("group").asText()).isEqualTo("policy");
    assertThat(eviction.get("kind").asText()).isEqualTo("Eviction");
    assertThat(resource(v1, "nodes/status").get("namespaced").asBoolean()).isFalse();

    JsonNode apps = discovery.document("/apis/apps/v1").orElseThrow();
    JsonNode scale = resource(apps, "replicasets/scale");
    assertThat(scale.get("group").asText()).isEqualTo("autoscaling");
    assertThat(scale.get("version").asText()).isEqualTo("v1");
    assertThat(scale.get("kind").asText()).isEqualTo("Scale");
    assertThat(scale.get("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");
    assertThat(resource(apps, "deployments/status")).isNotNull();
  }

  @Test
  void resourcesAdvertiseWatchAndDeleteCollection() {
    JsonNode pods = resource(discovery.document("/api/v1").orElseThrow(), "pods");
    assertThat(pods.get("verbs").toString()).isEqualTo(
        "[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]");
  }

  @Test
  void newGroupsAreDiscoverable() {
    assertThat(discovery.document("/apis").orElseThrow().get("groups").findValuesAsText("name"))
        .containsExactly("apps", "networking.k8s.io", "coordination.k8s.io", "rbac.authorization.k8s.io",
            "authorization.k8s.io");
    JsonNode networking = discovery.document("/apis/networking.k8s.io/v1").orElseThrow();
    assertThat(resource(networking, "ingresses").get("shortNames").toString()).isEqualTo("[\"ing\"]");
    assertThat(resource(networking, "ingressclasses").get("namespaced").asBoolean()).isFalse();
    assertThat(resource(discovery.document("/apis/coordination.k8s.io/v1").orElseThrow(), "leases")
        .get("kind").asText()).isEqualTo("Lease");
    JsonNode reviews = discovery.document("/apis/authorization.k8s.io/v1").orElseThrow();
    assertThat(resource(reviews, "selfsubjectaccessreviews").get("verbs").toString()).isEqualTo("[\"create\"]");
    assertThat(resource(discovery.document("/apis/rbac.authorization.k8s.io/v1").orElseThrow(), "rolebindings")
        .get("namespaced").asBoolean()).isTrue();
  }

  private static JsonNode resource(JsonNode list, String name) {
    for (JsonNode r : list.get("resources")) {
      if (r.get("name").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError(name + " not listed in " + list.get("groupVersion"));
  }

  @Test
  void versionAndUnknownPaths() {
    assertThat(discovery.document("/version").orElseThrow().get("minor").asText()).isEqualTo("32");
    assertThat(discovery.document("/api/v2")).isEmpty();
    assertThat(discovery.document("/apis/batch/v1")).isEmpty();
    assertThat(discovery.document("/api/v1/pods")).isEmpty();
  }
}
