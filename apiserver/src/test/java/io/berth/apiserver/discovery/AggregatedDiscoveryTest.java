package io.berth.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class AggregatedDiscoveryTest {
  /** What kubectl 1.32 sends to /api and /apis. */
  static final String KUBECTL_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
      + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

  private final Discovery discovery = new Discovery(ResourceTable.builtIn());

  @Test
  void apisAnswersTheV2ListWithAContentTypeNamingIt() throws IOException {
    ApiResponse response = discovery.answer("/apis", KUBECTL_ACCEPT).orElseThrow();
    assertThat(response.contentType()).isEqualTo("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    assertThat(response.headers()).containsEntry("Vary", "Accept");
    JsonNode list = ObjectCodec.JSON.readTree(response.body());
    assertThat(list.get("kind").asText()).isEqualTo("APIGroupDiscoveryList");
    assertThat(list.get("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2");
    JsonNode apps = list.at("/items/0");
    assertThat(apps.at("/metadata/name").asText()).isEqualTo("apps");
    assertThat(apps.at("/versions/0/version").asText()).isEqualTo("v1");
    assertThat(apps.at("/versions/0/freshness").asText()).isEqualTo("Current");
    JsonNode deployments = apps.at("/versions/0/resources/0");
    assertThat(deployments.get("resource").asText()).isEqualTo("deployments");
    assertThat(deployments.get("responseKind").toString())
        .isEqualTo("{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"}");
    assertThat(deployments.get("scope").asText()).isEqualTo("Namespaced");
    assertThat(deployments.get("singularResource").asText()).isEqualTo("deployment");
    assertThat(deployments.get("shortNames").toString()).isEqualTo("[\"deploy\"]");
    assertThat(deployments.get("categories").toString()).isEqualTo("[\"all\"]");
    assertThat(deployments.get("verbs").toString()).contains("\"create\"", "\"patch\"");
  }

  @Test
  void apiAnswersTheCoreGroupWithoutAName() throws IOException {
    JsonNode list = ObjectCodec.JSON.readTree(discovery.answer("/api", KUBECTL_ACCEPT).orElseThrow().body());
    JsonNode core = list.at("/items/0");
    assertThat(core.at("/metadata/name").isMissingNode()).isTrue();
    assertThat(core.at("/versions/0/version").asText()).isEqualTo("v1");
    JsonNode namespaces = null;
    JsonNode secrets = null;
    for (JsonNode r : core.at("/versions/0/resources")) {
      switch (r.get("resource").asText()) {
        case "namespaces" -> namespaces = r;
        case "secrets" -> secrets = r;
        default -> { }
      }
    }
    assertThat(namespaces.get("scope").asText()).isEqualTo("Cluster");
    assertThat(namespaces.get("shortNames").toString()).isEqualTo("[\"ns\"]");
    // Absent lists are left out, as kube-apiserver leaves them out.
    assertThat(secrets.has("shortNames")).isFalse();
    assertThat(secrets.has("categories")).isFalse();
  }

  @Test
  void theFirstServedFormInTheAcceptHeaderWins() {
    assertThat(DiscoveryFormat.aggregatedVersion(KUBECTL_ACCEPT)).contains("v2");
    assertThat(DiscoveryFormat.aggregatedVersion(
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")).contains("v2beta1");
    assertThat(DiscoveryFormat.aggregatedVersion("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList"))
        .isEmpty();
    assertThat(DiscoveryFormat.aggregatedVersion("application/json")).isEmpty();
    assertThat(DiscoveryFormat.aggregatedVersion(null)).isEmpty();
  }

  @Test
  void plainJsonStillGetsTheLegacyDocuments() throws IOException {
    ApiResponse response = discovery.answer("/apis", "application/json").orElseThrow();
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(ObjectCodec.JSON.readTree(response.body()).get("kind").asText()).isEqualTo("APIGroupList");
    // Below the roots there is only the legacy form, whatever was asked.
    assertThat(discovery.answer("/apis/apps/v1", KUBECTL_ACCEPT).orElseThrow().contentType())
        .isEqualTo("application/json");
  }
}
