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
  void versionAndUnknownPaths() {
    assertThat(discovery.document("/version").orElseThrow().get("minor").asText()).isEqualTo("32");
    assertThat(discovery.document("/api/v2")).isEmpty();
    assertThat(discovery.document("/apis/batch/v1")).isEmpty();
    assertThat(discovery.document("/api/v1/pods")).isEmpty();
  }
}
