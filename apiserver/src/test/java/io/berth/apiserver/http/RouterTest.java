package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.openapi.OpenApiV3;
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
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole request pipeline below HTTP, over an in-memory store: routing, media types, verbs, Statuses. */
class RouterTest {
  private Router router;
  private InMemoryApi api;

  @AfterEach
  void tearDown() {
    api.close();
  }

  @BeforeEach
  void setUp() {
    api = new InMemoryApi();
    router = api.router();
    assertThat(call("POST", "/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"default\"}}").code())
        .isEqualTo(201);
  }

  @Test
  void discoveryAndOpenApiDocumentsAreRoutedWithTheirMediaTypes() throws IOException {
    ApiResponse aggregated = router.route(new ApiRequest("GET", "/apis", Map.of(), null,
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json", new byte[0])).join();
    assertThat(aggregated.contentType()).isEqualTo("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    assertThat(json(aggregated).get("kind").asText()).isEqualTo("APIGroupDiscoveryList");
    assertThat(json(call("GET", "/openapi/v3", null, "")).at("/paths/api~1v1/serverRelativeURL").asText())
        .startsWith("/openapi/v3/api/v1?hash=");
    assertThat(json(call("GET", "/openapi/v3/apis/apps/v1", null, "")).has("components")).isTrue();
    assertStatus(call("GET", "/openapi/v3/apis/batch/v1", null, ""), 404, "NotFound");
  }

  @Test
  void strictFieldValidationRefusesUnknownFieldsAndOtherwiseKeepsThem() throws IOException {
    String body = "{\"metadata\":{\"name\":\"c\"},\"dataa\":{\"a\":\"b\"}}";
    ApiResponse refused = router.route(new ApiRequest("POST", "/api/v1/namespaces/default/configmaps",
        Map.of("fieldValidation", List.of("Strict")), "application/json", body.getBytes(StandardCharsets.UTF_8))).join();
    assertStatus(refused, 400, "BadRequest");
    assertThat(json(refused).get("message").asText()).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a "
        + "ConfigMap: strict decoding error: unknown field \"dataa\"");
    assertThat(call("POST", "/api/v1/namespaces/default/configmaps", "application/json", body).code()).isEqualTo(201);
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
  void aFinalizerHoldsADeletedObjectUntilAnUpdateTakesItOff() throws IOException {
    assertThat(call("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]}}").code()).isEqualTo(201);
    ApiResponse deleted = call("DELETE", "/api/v1/namespaces/default/configmaps/held", null, "");
    assertThat(deleted.code()).isEqualTo(202);
    assertThat(json(deleted).at("/metadata/deletionTimestamp").asText()).isNotEmpty();
    JsonNode still = json(call("GET", "/api/v1/namespaces/default/configmaps/held", null, ""));
    assertThat(still.at("/metadata/deletionTimestamp").asText()).isNotEmpty();
    // An update cannot clear the deletionTimestamp, but taking the last finalizer off deletes the object.
    assertThat(call("PATCH", "/api/v1/namespaces/default/configmaps/held", "application/merge-patch+json",
        "{\"metadata\":{\"finalizers\":null}}").code()).isEqualTo(200);
    assertStatus(call("GET", "/api/v1/namespaces/default/configmaps/held", null, ""), 404, "NotFound");
  }

  @Test
  void deleteCollectionDeletesWhatTheSelectorPicks() throws IOException {
    for (String name : List.of("a", "b", "c")) {
      String tier = name.equals("c") ? "db" : "web";
      assertThat(call("POST", "/api/v1/namespaces/default/configmaps", "application/json",
          "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"tier\":\"" + tier + "\"}}}").code())
          .isEqualTo(201);
    }
    ApiResponse deleted = router.route(new ApiRequest("DELETE", "/api/v1/namespaces/default/configmaps",
        Map.of("labelSelector", List.of("tier=web")), null, new byte[0])).join();
    assertThat(deleted.code()).isEqualTo(200);
    assertThat(json(deleted).get("items")).hasSize(2);
    assertStatus(call("GET", "/api/v1/namespaces/default/configmaps/a", null, ""), 404, "NotFound");
    assertThat(call("GET", "/api/v1/namespaces/default/configmaps/c", null, "").code()).isEqualTo(200);
  }

  @Test
  void aWriteWithAStaleFencingTokenIsAConflictAndChangesNothing() throws IOException {
    long token = api.store().create("/berth/elections/test/leader", new byte[0]).join().modRevision();
    String header = token + ":/berth/elections/test/leader";
    ApiResponse created = router.route(new ApiRequest("POST", "/api/v1/namespaces/default/configmaps", Map.of(),
        "application/json", null, "{\"metadata\":{\"name\":\"fenced\"}}".getBytes(),
        Map.of("X-Berth-Fencing-Token", header))).join();
    assertThat(created.code()).isEqualTo(201);
    api.store().delete("/berth/elections/test/leader", token).join();
    ApiResponse stale = router.route(new ApiRequest("DELETE", "/api/v1/namespaces/default/configmaps/fenced",
        Map.of(), null, null, new byte[0], Map.of("x-berth-fencing-token", header))).join();
    assertStatus(stale, 409, "Conflict");
    assertThat(json(stale).get("message").asText()).contains("fencing token " + header + " is no longer current");
    assertThat(call("GET", "/api/v1/namespaces/default/configmaps/fenced", null, "").code()).isEqualTo(200);
    ApiResponse malformed = router.route(new ApiRequest("DELETE", "/api/v1/namespaces/default/configmaps/fenced",
        Map.of(), null, null, new byte[0], Map.of("X-Berth-Fencing-Token", "leader"))).join();
    assertStatus(malformed, 400, "BadRequest");
  }

  @Test
  void createAndUpdateRecordTheirFieldManagers() throws IOException {
    ApiResponse created = router.route(new ApiRequest("POST", "/api/v1/namespaces/default/configmaps", Map.of(),
        "application/json", null, "{\"metadata\":{\"name\":\"owned\"},\"data\":{\"a\":\"1\"}}".getBytes(),
        Map.of("User-Agent", "kubectl/v1.32.0 (linux/amd64) kubernetes/abc"))).join();
    JsonNode entry = json(created).at("/metadata/managedFields/0");
    assertThat(entry.get("manager").asText()).isEqualTo("kubectl");
    assertThat(entry.get("operation").asText()).isEqualTo("Update");
    assertThat(entry.at("/fieldsV1/f:data/f:a").isObject()).isTrue();

    JsonNode current = json(call("GET", "/api/v1/namespaces/default/configmaps/owned", null, ""));
    ((com.fasterxml.jackson.databind.node.ObjectNode) current.get("data")).put("b", "2");
    ApiResponse updated = router.route(new ApiRequest("PUT", "/api/v1/namespaces/default/configmaps/owned",
        Map.of("fieldManager", List.of("operator")), "application/json", current.toString().getBytes())).join();
    assertThat(updated.code()).isEqualTo(200);
    JsonNode managed = json(updated).at("/metadata/managedFields");
    assertThat(managed).hasSize(2);
    JsonNode operator = managed.get(0).get("manager").asText().equals("operator") ? managed.get(0) : managed.get(1);
    assertThat(operator.at("/fieldsV1/f:data/f:b").isObject()).isTrue();
    assertThat(operator.at("/fieldsV1/f:data/f:a").isMissingNode()).as("unchanged fields stay kubectl's").isTrue();
  }

  @Test
  void dryRunIsRefusedRatherThanIgnored() throws IOException {
    ApiResponse response = router.route(new ApiRequest("POST", "/api/v1/namespaces/default/configmaps",
        Map.of("dryRun", List.of("All")), "application/json", "{\"metadata\":{\"name\":\"c\"}}".getBytes()))
        .join();
    assertStatus(response, 400, "BadRequest");
    assertThat(json(response).get("message").asText()).contains("dryRun");
  }

  @Test
  void listsArePagedWithContinueTokensAtOneRevision() throws IOException {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      assertThat(call("POST", "/api/v1/namespaces/default/configmaps", "application/json",
          "{\"metadata\":{\"name\":\"" + name + "\"}}").code()).isEqualTo(201);
    }
    List<String> seen = new java.util.ArrayList<>();
    String token = null;
    String firstRevision = null;
    int pages = 0;
    do {
      Map<String, List<String>> query = new java.util.HashMap<>(Map.of("limit", List.of("2")));
      if (token != null) {
        query.put("continue", List.of(token));
      }
      JsonNode page = json(router.route(new ApiRequest("GET", "/api/v1/namespaces/default/configmaps", query, null,
          new byte[0])).join());
      page.get("items").forEach(i -> seen.add(i.at("/metadata/name").asText()));
      token = page.at("/metadata/continue").asText(null);
      firstRevision = firstRevision == null ? page.at("/metadata/resourceVersion").asText() : firstRevision;
      assertThat(page.at("/metadata/resourceVersion").asText()).isEqualTo(firstRevision);
      if (token != null) {
        assertThat(page.at("/metadata/remainingItemCount").asLong()).isEqualTo(5 - seen.size());
      }
      pages++;
    } while (token != null);
    assertThat(seen).containsExactly("a", "b", "c", "d", "e");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void malformedContinueTokensAndForbiddenCombinationsAreBadRequests() throws IOException {
    assertStatus(router.route(new ApiRequest("GET", "/api/v1/namespaces/default/pods",
        Map.of("continue", List.of("not-a-token")), null, new byte[0])).join(), 400, "BadRequest");
    assertStatus(router.route(new ApiRequest("GET", "/api/v1/namespaces/default/pods",
        Map.of("resourceVersionMatch", List.of("Exact")), null, new byte[0])).join(), 400, "BadRequest");
    assertStatus(router.route(new ApiRequest("GET", "/api/v1/namespaces/default/pods",
        Map.of("resourceVersion", List.of("abc")), null, new byte[0])).join(), 400, "BadRequest");
    assertStatus(router.route(new ApiRequest("GET", "/api/v1/namespaces/default/pods",
        Map.of("limit", List.of("-1")), null, new byte[0])).join(), 400, "BadRequest");
  }

  @Test
  void aListAtAVersionTheCacheHasNotReachedTimesOut() throws IOException {
    ApiResponse response = router.route(new ApiRequest("GET", "/api/v1/namespaces/default/pods",
        Map.of("resourceVersion", List.of("999999")), null, new byte[0])).join();
    assertStatus(response, 504, "Timeout");
    assertThat(json(response).get("message").asText()).startsWith("Too large resource version: 999999");
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
    // Merged into the container named "a" (a pod's containers may change only their image).
    assertThat(call("PATCH", url, "application/strategic-merge-patch+json",
        "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"y\"}]}}").code()).isEqualTo(200);
    JsonNode containers = json(call("GET", url, null, "")).at("/spec/containers");
    assertThat(containers).hasSize(1);
    assertThat(containers.at("/0/image").asText()).isEqualTo("y");
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
