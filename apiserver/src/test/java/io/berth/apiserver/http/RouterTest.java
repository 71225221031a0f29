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
import io.berth.apiserver.testing.InMemoryObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole request pipeline below HTTP, over an in-memory store: routing, media types, verbs, Statuses. */
class RouterTest {
  private Router router;

  @BeforeEach
  void setUp() {
    ResourceTable table = ResourceTable.builtIn();
    ResourceHandler resources = new ResourceHandler(table, new InMemoryObjectStore(),
        new MetadataPolicy(Clock.systemUTC(), new Random(1)));
    router = new Router(new Discovery(table), resources);
    assertThat(call("POST", "/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"default\"}}").code())
        .isEqualTo(201);
  }

  @Test
  void unknownPathsAndResourcesAreNotFoundStatuses() throws IOException {
    assertStatus(call("GET", "/apis/batch/v1/namespaces/default/jobs", null, ""), 404, "NotFound");
    assertStatus(call("GET", "/nothing/here", null, ""), 404, "NotFound");
    // Namespaces are cluster-scoped: there is no namespace "default" holding namespaces.
    assertStatus(call("GET", "/api/v1/namespaces/default/namespaces/x", null, ""), 404, "NotFound");
  }

  @Test
  void verbsAResourceDoesNotHaveAreMethodNotAllowed() throws IOException {
    assertStatus(call("PATCH", "/api/v1/namespaces/default/configmaps", "application/merge-patch+json", "{}"),
        405, "MethodNotAllowed");
    assertStatus(call("POST", "/api/v1/namespaces/default/configmaps/c", "application/json", "{}"),
        405, "MethodNotAllowed");
  }

  @Test
  void bodiesInFormatsNotReadAreUnsupportedMediaType() throws IOException {
    assertStatus(call("POST", "/api/v1/namespaces/default/configmaps", "application/yaml", "metadata: {}"),
        415, "UnsupportedMediaType");
  }

  @Test
  void aKindOtherThanTheUrlsIsABadRequest() throws IOException {
    assertStatus(call("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"}}"), 400, "BadRequest");
  }

  @Test
  void createGetUpdateDeleteThroughTheRouter() throws IOException {
    String base = "/api/v1/namespaces/default/secrets";
    ApiResponse created = call("POST", base, "application/json; charset=utf-8",
        "{\"metadata\":{\"name\":\"s\"},\"type\":\"Opaque\",\"data\":{\"k\":\"dg==\"}}");
    assertThat(created.code()).isEqualTo(201);
    String rv = json(created).at("/metadata/resourceVersion").asText();

    JsonNode got = json(call("GET", base + "/s", null, ""));
    assertThat(got.get("kind").asText()).isEqualTo("Secret");
    assertThat(got.at("/data/k").asText()).isEqualTo("dg==");

    ApiResponse updated = call("PUT", base + "/s", "application/json",
        "{\"metadata\":{\"name\":\"s\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"k\":\"dzI=\"}}");
    assertThat(updated.code()).isEqualTo(200);
    assertStatus(call("PUT", base + "/s", "application/json",
        "{\"metadata\":{\"name\":\"s\",\"resourceVersion\":\"" + rv + "\"}}"), 409, "Conflict");
    assertStatus(call("PUT", base + "/missing", "application/json", "{\"metadata\":{\"name\":\"missing\"}}"),
        404, "NotFound");

    assertThat(json(call("DELETE", base + "/s", null, "")).at("/data/k").asText()).isEqualTo("dzI=");
    JsonNode list = json(call("GET", base, null, ""));
    assertThat(list.get("kind").asText()).isEqualTo("SecretList");
    assertThat(list.get("items")).isEmpty();
  }

  @Test
  void queryParametersNotImplementedYetAreRefusedNotIgnored() throws IOException {
    for (String refused : List.of("watch", "dryRun", "continue")) {
      ApiResponse response = router.route(new ApiRequest("GET", "/api/v1/namespaces/default/pods",
          Map.of(refused, List.of("x")), null, new byte[0])).join();
      assertStatus(response, 400, "BadRequest");
      assertThat(json(response).get("message").asText()).contains(refused);
    }
    ApiResponse limited = router.route(new ApiRequest("GET", "/api/v1/namespaces/default/pods",
        Map.of("limit", List.of("500"), "watch", List.of("false")), null, new byte[0])).join();
    assertThat(limited.code()).isEqualTo(200);
  }

  @Test
  void listsHonourLabelAndFieldSelectors() throws IOException {
    String base = "/api/v1/namespaces/default/configmaps";
    call("POST", base, null, "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}}}");
    call("POST", base, null, "{\"metadata\":{\"name\":\"db\",\"labels\":{\"app\":\"db\"}}}");
    JsonNode byLabel = json(router.route(new ApiRequest("GET", base, Map.of("labelSelector", List.of("app in (web)")),
        null, new byte[0])).join());
    assertThat(byLabel.get("items")).hasSize(1);
    assertThat(byLabel.at("/items/0/metadata/name").asText()).isEqualTo("web");
    JsonNode byName = json(router.route(new ApiRequest("GET", base, Map.of("fieldSelector", List.of("metadata.name=db")),
        null, new byte[0])).join());
    assertThat(byName.get("items")).hasSize(1);
    assertThat(byName.at("/items/0/metadata/name").asText()).isEqualTo("db");
    assertStatus(router.route(new ApiRequest("GET", base, Map.of("fieldSelector", List.of("spec.x=y")),
        null, new byte[0])).join(), 400, "BadRequest");
  }

  @Test
  void mergePatchChangesOnlyWhatItNames() throws IOException {
    String url = "/api/v1/namespaces/default/configmaps/m";
    call("POST", "/api/v1/namespaces/default/configmaps", null,
        "{\"metadata\":{\"name\":\"m\",\"labels\":{\"a\":\"1\"}},\"data\":{\"k\":\"v\",\"gone\":\"x\"}}");
    ApiResponse patched = call("PATCH", url, "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"b\":\"2\"}},\"data\":{\"gone\":null}}");
    assertThat(patched.code()).isEqualTo(200);
    JsonNode got = json(call("GET", url, null, ""));
    assertThat(got.at("/metadata/labels").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    assertThat(got.at("/data").toString()).isEqualTo("{\"k\":\"v\"}");
    assertStatus(call("PATCH", url, "application/merge-patch+json",
        "{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"k\":\"w\"}}"), 409, "Conflict");
    assertStatus(call("PATCH", url, "application/xml", "<x/>"), 415, "UnsupportedMediaType");
    assertStatus(call("PATCH", url + "x", "application/merge-patch+json", "{}"), 404, "NotFound");
  }

  @Test
  void patchTypesAreChosenByContentType() throws IOException {
    String url = "/api/v1/namespaces/default/pods/p";
    call("POST", "/api/v1/namespaces/default/pods", null,
        "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}}");
    assertThat(call("PATCH", url, "application/strategic-merge-patch+json",
        "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"y\"}]}}").code()).isEqualTo(200);
    assertThat(json(call("GET", url, null, "")).at("/spec/containers")).hasSize(2);
    assertStatus(call("PATCH", url, "application/json-patch+json",
        "[{\"op\":\"test\",\"path\":\"/spec/containers/0/image\",\"value\":\"z\"}]"), 422, "Invalid");
  }

  @Test
  void serverSideApplyCreatesThenConflictsWithAnotherManager() throws IOException {
    String url = "/api/v1/namespaces/default/configmaps/applied";
    String config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v\n";
    ApiResponse created = router.route(new ApiRequest("PATCH", url, Map.of("fieldManager", List.of("a")),
        "application/apply-patch+yaml", config.getBytes(StandardCharsets.UTF_8))).join();
    assertThat(created.code()).isEqualTo(201);
    assertThat(json(created).at("/metadata/managedFields/0/manager").asText()).isEqualTo("a");

    ApiResponse conflict = router.route(new ApiRequest("PATCH", url, Map.of("fieldManager", List.of("b")),
        "application/apply-patch+yaml", config.replace("k: v", "k: w").getBytes(StandardCharsets.UTF_8))).join();
    assertStatus(conflict, 409, "Conflict");
    assertThat(json(conflict).at("/details/causes/0/field").asText()).isEqualTo(".data.k");

    ApiResponse forced = router.route(new ApiRequest("PATCH", url,
        Map.of("fieldManager", List.of("b"), "force", List.of("true")), "application/apply-patch+yaml",
        config.replace("k: v", "k: w").getBytes(StandardCharsets.UTF_8))).join();
    assertThat(forced.code()).isEqualTo(200);
    assertThat(json(forced).at("/data/k").asText()).isEqualTo("w");
  }

  @Test
  void systemNamespacesMayNotBeDeleted() throws IOException {
    ApiResponse response = call("DELETE", "/api/v1/namespaces/default", null, "");
    assertStatus(response, 403, "Forbidden");
    assertThat(json(response).get("message").asText())
        .isEqualTo("namespaces \"default\" is forbidden: this namespace may not be deleted");
    assertThat(call("GET", "/api/v1/namespaces/default", null, "").code()).isEqualTo(200);
  }

  @Test
  void discoveryIsServedForGetOnly() throws IOException {
    assertThat(json(call("GET", "/api", null, "")).get("kind").asText()).isEqualTo("APIVersions");
    assertStatus(call("POST", "/api", "application/json", "{}"), 404, "NotFound");
  }

  private ApiResponse call(String method, String path, String contentType, String body) {
    return router.route(new ApiRequest(method, path, Map.of(), contentType, body.getBytes(StandardCharsets.UTF_8)))
        .join();
  }

  private static JsonNode json(ApiResponse response) throws IOException {
    return ObjectCodec.JSON.readTree(response.body());
  }

  private static void assertStatus(ApiResponse response, int code, String reason) throws IOException {
    assertThat(response.code()).isEqualTo(code);
    JsonNode status = json(response);
    assertThat(status.get("kind").asText()).isEqualTo("Status");
    assertThat(status.get("reason").asText()).isEqualTo(reason);
    assertThat(status.get("code").asInt()).isEqualTo(code);
  }
}
