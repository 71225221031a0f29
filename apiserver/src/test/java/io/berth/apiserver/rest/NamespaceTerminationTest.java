package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.testing.InMemoryApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A namespace's delete through the whole pipeline: Terminating, then gone when its finalizers are emptied. */
class NamespaceTerminationTest {
  private InMemoryApi api;

  @BeforeEach
  void setUp() {
    api = new InMemoryApi();
    assertThat(call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}").code()).isEqualTo(201);
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void aDeletedNamespaceIsTerminatingUntilAnUpdateEmptiesItsFinalizers() throws IOException {
    ApiResponse deleted = call("DELETE", "/api/v1/namespaces/team", "");
    assertThat(deleted.code()).isEqualTo(202);
    JsonNode terminating = json(call("GET", "/api/v1/namespaces/team", ""));
    assertThat(terminating.at("/status/phase").asText()).isEqualTo("Terminating");
    assertThat(terminating.at("/metadata/deletionTimestamp").isTextual()).isTrue();

    // Any other update keeps it (and its finalizer, and Terminating).
    ApiResponse relabelled = call("PATCH", "/api/v1/namespaces/team", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}",
        "application/merge-patch+json");
    assertThat(relabelled.code()).isEqualTo(200);
    assertThat(json(relabelled).at("/status/phase").asText()).isEqualTo("Terminating");

    ApiResponse finalized = call("PATCH", "/api/v1/namespaces/team", "{\"spec\":{\"finalizers\":[]}}",
        "application/merge-patch+json");
    assertThat(finalized.code()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/namespaces/team", "").code()).isEqualTo(404);
  }

  @Test
  void nothingNewIsCreatedInATerminatingNamespace() throws IOException {
    assertThat(call("POST", "/api/v1/namespaces/team/configmaps", "{\"metadata\":{\"name\":\"before\"}}").code())
        .isEqualTo(201);
    call("DELETE", "/api/v1/namespaces/team", "");

    ApiResponse refused = call("POST", "/api/v1/namespaces/team/configmaps", "{\"metadata\":{\"name\":\"after\"}}");
    assertThat(refused.code()).isEqualTo(403);
    assertThat(json(refused).get("reason").asText()).isEqualTo("Forbidden");
    assertThat(json(refused).get("message").asText()).isEqualTo("configmaps \"after\" is forbidden: "
        + "unable to create new content in namespace team because it is being terminated");
    // What is there can still be deleted (the namespace controller's job).
    assertThat(call("DELETE", "/api/v1/namespaces/team/configmaps/before", "").code()).isEqualTo(200);
  }

  private ApiResponse call(String method, String path, String body) {
    return call(method, path, body, "application/json");
  }

  private ApiResponse call(String method, String path, String body, String contentType) {
    return api.router().route(new ApiRequest(method, path, Map.of(), body.isEmpty() ? null : contentType,
        body.getBytes(StandardCharsets.UTF_8))).join();
  }

  private static JsonNode json(ApiResponse response) throws IOException {
    return ObjectCodec.JSON.readTree(response.body());
  }
}
