package io.berth.client;

import static io.berth.client.testing.FakeApiServer.json;
import static io.berth.client.testing.FakeApiServer.status;
import static io.berth.client.testing.Objects.pod;
import static io.berth.client.testing.Objects.podList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.client.testing.FakeApiServer;
import io.berth.client.testing.RecordedRequest;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResourceClientTest {
  private final FakeApiServer server = FakeApiServer.start(r -> status(500, "InternalError", "no responder"));
  private final Client client = Client.builder().endpoints(List.of(server.uri())).callTimeout(Duration.ofSeconds(5))
      .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
  private final ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("default");

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  @Test
  void getOfAMissingObjectIsEmpty() {
    server.respondWith(r -> status(404, "NotFound", "pods \"web\" not found"));

    assertThat(pods.get("web")).isEmpty();
    assertThat(server.requests()).singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/api/v1/namespaces/default/pods/web"));
  }

  @Test
  void aStatusAnswerBecomesAnApiExceptionWithCodeReasonMessageAndDetails() {
    Status alreadyExists = new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure")
        .withCode(409).withReason("AlreadyExists").withMessage("pods \"web\" already exists")
        .withNewDetails().withName("web").withKind("pods").endDetails().build();
    server.respondWith(r -> json(409, alreadyExists));

    assertThatThrownBy(() -> pods.create(pod("default", "web", null)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.isAlreadyExists()).isTrue();
          assertThat(e.isConflict()).isFalse();
          assertThat(e.status().getMessage()).isEqualTo("pods \"web\" already exists");
          assertThat(e.status().getDetails().getName()).isEqualTo("web");
        });
  }

  @Test
  void aConflictAndAGoneAreTold() {
    server.respondWith(r -> r.method().equals("PUT")
        ? status(409, "Conflict", "the object has been modified")
        : status(410, "Expired", "too old resource version"));

    assertThatThrownBy(() -> pods.update(pod("default", "web", "4")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
    assertThatThrownBy(() -> pods.list(ListOptions.ALL.withResourceVersion("1")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isGone()).isTrue());
  }

  @Test
  void anAnswerWithoutAStatusStillBecomesAnApiException() {
    server.respondWith(r -> new FakeApiServer.Answer(502, "<html>bad gateway</html>", Map.of()));

    assertThatThrownBy(() -> pods.get("web"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(502);
          assertThat(e.status().getMessage()).isEqualTo("<html>bad gateway</html>");
        });
  }

  @Test
  void listFetchesEveryPageAndKeepsTheFirstPagesResourceVersion() {
    server.respondWith(r -> switch (String.valueOf(r.query("continue"))) {
      case "null" -> json(200, podList("20", "t1", List.of(pod("default", "a", "11"), pod("default", "b", "12"))));
      case "t1" -> json(200, podList("20", "t2", List.of(pod("default", "c", "13"))));
      default -> json(200, podList("20", null, List.of(pod("default", "d", "14"))));
    });

    ListResult<Pod> result = pods.list(ListOptions.ALL.withLimit(2).withLabelSelector("app=web")
        .withResourceVersion("15"));

    assertThat(result.items()).extracting(p -> p.getMetadata().getName()).containsExactly("a", "b", "c", "d");
    assertThat(result.resourceVersion()).isEqualTo("20");
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0).query()).containsEntry("limit", "2").containsEntry("labelSelector", "app=web")
        .containsEntry("resourceVersion", "15").doesNotContainKey("continue");
    // The token pins the version; kube-apiserver refuses resourceVersion beside it.
    assertThat(requests.get(1).query()).containsEntry("continue", "t1").containsEntry("limit", "2")
        .containsEntry("labelSelector", "app=web").doesNotContainKey("resourceVersion");
    assertThat(requests.get(2).query()).containsEntry("continue", "t2");
  }

  @Test
  void listStartsOverInOnePageWhenTheContinueTokenExpires() {
    server.respondWith(r -> {
      if ("t1".equals(r.query("continue"))) {
        return status(410, "Expired", "The provided continue parameter is too old");
      }
      if (r.query("limit") != null) {
        return json(200, podList("20", "t1", List.of(pod("default", "a", "11"))));
      }
      return json(200, podList("30", null, List.of(pod("default", "a", "11"), pod("default", "b", "25"))));
    });

    ListResult<Pod> result = pods.list(ListOptions.ALL.withLimit(1));

    assertThat(result.items()).extracting(p -> p.getMetadata().getName()).containsExactly("a", "b");
    assertThat(result.resourceVersion()).isEqualTo("30");
  }

  @Test
  void listItemsSayWhatKindTheyAreThoughTheServerLeavesThatOut() {
    server.respondWith(r -> new FakeApiServer.Answer(200, """
        {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"5"},
         "items":[{"metadata":{"name":"a","namespace":"default","resourceVersion":"4"}}]}""", Map.of()));

    Pod item = pods.list().items().getFirst();

    assertThat(item.getKind()).isEqualTo("Pod");
    assertThat(item.getApiVersion()).isEqualTo("v1");
  }

  @Test
  void writesGoToTheirPathsWithTheirMethodsAndBodies() throws Exception {
    server.respondWith(r -> json(r.method().equals("POST") ? 201 : 200, pod("default", "web", "9")));

    pods.create(pod("default", "web", null));
    pods.update(pod("default", "web", "8"));
    pods.updateStatus(pod("default", "web", "9"));

    List<RecordedRequest> requests = server.requests();
    assertThat(requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
        "POST /api/v1/namespaces/default/pods",
        "PUT /api/v1/namespaces/default/pods/web",
        "PUT /api/v1/namespaces/default/pods/web/status");
    assertThat(requests).allSatisfy(r -> assertThat(r.header("Content-Type")).isEqualTo("application/json"));
    JsonNode updated = Json.MAPPER.readTree(requests.get(1).body());
    assertThat(updated.at("/metadata/resourceVersion").asText()).isEqualTo("8");
  }

  @Test
  void eachPatchTypeIsSentWithItsContentTypeAndApplyWithItsFieldManager() {
    server.respondWith(r -> json(200, pod("default", "web", "9")));

    pods.patch("web", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    pods.patch("web", PatchType.STRATEGIC_MERGE, "{\"spec\":{}}");
    pods.patch("web", PatchType.JSON, "[{\"op\":\"add\",\"path\":\"/metadata/labels/x\",\"value\":\"y\"}]");
    pods.apply(pod("default", "web", null), "berth-agent", true);
    pods.patchStatus("web", PatchType.MERGE, "{\"status\":{\"phase\":\"Running\"}}");

    List<RecordedRequest> patches = server.requests("PATCH");
    assertThat(patches).extracting(r -> r.header("Content-Type")).containsExactly(
        "application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json",
        "application/apply-patch+yaml", "application/merge-patch+json");
    assertThat(patches.get(0).body()).isEqualTo("{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    assertThat(patches.get(3).query()).containsEntry("fieldManager", "berth-agent").containsEntry("force", "true");
    assertThat(patches.get(4).path()).isEqualTo("/api/v1/namespaces/default/pods/web/status");
  }

  @Test
  void deleteSendsItsOptionsAsADeleteOptionsBody() throws Exception {
    server.respondWith(r -> json(200, pod("default", "web", "9")));

    pods.delete("web", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).withPropagationPolicy("Foreground")
        .withNewPreconditions().withUid("u-1").withResourceVersion("8").endPreconditions().build());

    RecordedRequest delete = server.requests().getFirst();
    assertThat(delete.method()).isEqualTo("DELETE");
    assertThat(delete.path()).isEqualTo("/api/v1/namespaces/default/pods/web");
    JsonNode body = Json.MAPPER.readTree(delete.body());
    assertThat(body.get("kind").asText()).isEqualTo("DeleteOptions");
    assertThat(body.get("gracePeriodSeconds").asLong()).isZero();
    assertThat(body.get("propagationPolicy").asText()).isEqualTo("Foreground");
    assertThat(body.at("/preconditions/uid").asText()).isEqualTo("u-1");
    assertThat(body.at("/preconditions/resourceVersion").asText()).isEqualTo("8");
  }

  @Test
  void headersGoOnEveryCallOfAClientViewOrOnOneCall() {
    server.respondWith(r -> json(r.method().equals("POST") ? 201 : 200, lease("9")));
    Client fenced = client.withHeader("X-Berth-Fencing-Token", "42");

    fenced.resource(Resource.LEASE).inNamespace("kube-system").create(lease(null));
    client.resource(Resource.LEASE).inNamespace("kube-system").get("scheduler");
    client.resource(Resource.LEASE).inNamespace("kube-system").withHeader("X-Berth-Fencing-Token", "43")
        .update(lease("9"));

    assertThat(server.requests()).extracting(r -> r.header("X-Berth-Fencing-Token"))
        .containsExactly("42", null, "43");
    assertThat(server.requests().getFirst().path())
        .isEqualTo("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases");
  }

  @Test
  void rawPostReachesASubresourceAndDecodesTheAnswer() throws Exception {
    server.respondWith(r -> json(201, new StatusBuilder().withApiVersion("v1").withKind("Status")
        .withStatus("Success").withCode(201).build()));

    Status answer = client.post("/api/v1/namespaces/default/pods/web/binding",
        Map.of("apiVersion", "v1", "kind", "Binding", "metadata", Map.of("name", "web"),
            "target", Map.of("kind", "Node", "name", "node-1")), Status.class);

    assertThat(answer.getStatus()).isEqualTo("Success");
    RecordedRequest post = server.requests().getFirst();
    assertThat(post.path()).isEqualTo("/api/v1/namespaces/default/pods/web/binding");
    assertThat(Json.MAPPER.readTree(post.body()).at("/target/name").asText()).isEqualTo("node-1");
  }

  @Test
  void anObjectOfAnotherNamespaceIsRefusedByANamespacedView() {
    assertThatThrownBy(() -> pods.create(pod("other", "web", null))).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests()).isEmpty();
  }

  private static Lease lease(String resourceVersion) {
    return new LeaseBuilder().withNewMetadata().withNamespace("kube-system").withName("scheduler")
        .withResourceVersion(resourceVersion).endMetadata().withNewSpec().withHolderIdentity("a").endSpec().build();
  }
}
