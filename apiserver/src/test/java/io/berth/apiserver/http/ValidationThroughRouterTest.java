package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.MetadataPolicy;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.ResourceHandler;
import io.berth.apiserver.testing.InMemoryApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Validation and fieldValidation as clients meet them: on create, update and patch, before anything is stored. */
class ValidationThroughRouterTest {
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
  private static final String WEB = """
      {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
       "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}""";

  private Router router;
  private InMemoryApi api;

  @org.junit.jupiter.api.AfterEach
  void tearDown() {
    api.close();
  }

  @BeforeEach
  void setUp() {
    api = new InMemoryApi();
    router = api.router();
    assertThat(call("POST", "/api/v1/namespaces", Map.of(), "{\"metadata\":{\"name\":\"default\"}}").code())
        .isEqualTo(201);
  }

  @Test
  void anInvalidCreateIs422WithCausesAndStoresNothing() throws IOException {
    ApiResponse response = call("POST", DEPLOYMENTS, Map.of(), WEB.replace("\"replicas\":2", "\"replicas\":-1"));
    assertThat(response.code()).isEqualTo(422);
    JsonNode status = json(response);
    assertThat(status.get("reason").asText()).isEqualTo("Invalid");
    assertThat(status.get("message").asText()).isEqualTo(
        "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    assertThat(status.at("/details/kind").asText()).isEqualTo("Deployment");
    assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("FieldValueInvalid");
    assertThat(status.at("/details/causes/0/field").asText()).isEqualTo("spec.replicas");
    assertThat(call("GET", DEPLOYMENTS + "/web", Map.of(), "").code()).isEqualTo(404);
  }

  @Test
  void updatesAndPatchesAreValidatedAgainstTheStoredObject() throws IOException {
    assertThat(call("POST", DEPLOYMENTS, Map.of(), WEB).code()).isEqualTo(201);
    ApiResponse newSelector = call("PUT", DEPLOYMENTS + "/web", Map.of(),
        WEB.replace("{\"app\":\"web\"}}", "{\"app\":\"web\",\"tier\":\"front\"}}")
            .replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"app\":\"web\",\"tier\":\"front\"}"));
    assertThat(newSelector.code()).isEqualTo(422);
    assertThat(json(newSelector).get("message").asText()).endsWith("field is immutable");

    ApiResponse negative = router.route(new ApiRequest("PATCH", DEPLOYMENTS + "/web", Map.of(),
        "application/merge-patch+json", "{\"spec\":{\"replicas\":-3}}".getBytes(StandardCharsets.UTF_8))).join();
    assertThat(negative.code()).isEqualTo(422);
    assertThat(json(call("GET", DEPLOYMENTS + "/web", Map.of(), "")).at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void strictFieldValidationRefusesUnknownFieldsWarnLetsThemThrough() throws IOException {
    String typo = WEB.replace("\"replicas\":2", "\"replica\":2");
    ApiResponse strict = call("POST", DEPLOYMENTS, Map.of("fieldValidation", List.of("Strict")), typo);
    assertThat(strict.code()).isEqualTo(400);
    assertThat(json(strict).get("message").asText())
        .endsWith("cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"");
    ApiResponse warned = call("POST", DEPLOYMENTS, Map.of("fieldValidation", List.of("Warn")), typo);
    assertThat(warned.code()).isEqualTo(201);
    assertThat(warned.headers()).containsEntry("Warning", "299 - \"unknown field \\\"spec.replica\\\"\"");
    assertThat(call("POST", DEPLOYMENTS, Map.of("fieldValidation", List.of("Sometimes")), typo).code())
        .isEqualTo(400);
  }

  private ApiResponse call(String method, String path, Map<String, List<String>> query, String body) {
    return router.route(new ApiRequest(method, path, query, "application/json", body.getBytes(StandardCharsets.UTF_8)))
        .join();
  }

  private static JsonNode json(ApiResponse response) throws IOException {
    return ObjectCodec.JSON.readTree(response.body());
  }
}
