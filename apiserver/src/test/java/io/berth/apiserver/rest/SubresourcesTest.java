package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.testing.InMemoryApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** status, scale, pods/binding, pods/eviction and pods/log through the whole pipeline. */
class SubresourcesTest {
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
  private InMemoryApi api;

  @BeforeEach
  void setUp() {
    api = new InMemoryApi();
    assertThat(call("POST", "/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"default\"}}")
        .code()).isEqualTo(201);
    assertThat(call("POST", PODS, "application/json", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""").code()).isEqualTo(201);
    assertThat(call("POST", DEPLOYMENTS, "application/json", """
        {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
         "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""")
        .code()).isEqualTo(201);
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void aStatusUpdateChangesTheStatusAndNothingElse() throws IOException {
    JsonNode pod = json(call("GET", PODS + "/p", null, ""));
    String body = pod.toString().replace("\"phase\":\"Pending\"", "\"phase\":\"Running\"")
        .replace("\"image\":\"busybox\"", "\"image\":\"evil\"");
    ApiResponse updated = call("PUT", PODS + "/p/status", "application/json", body);
    assertThat(updated.code()).isEqualTo(200);
    JsonNode after = json(call("GET", PODS + "/p", null, ""));
    assertThat(after.at("/status/phase").asText()).isEqualTo("Running");
    assertThat(after.at("/spec/containers/0/image").asText()).isEqualTo("busybox");
    // A stale version is refused, as for any update.
    assertThat(call("PUT", PODS + "/p/status", "application/json", body).code()).isEqualTo(409);
  }

  @Test
  void aStatusPatchMergesIntoTheStatus() throws IOException {
    assertThat(call("PATCH", DEPLOYMENTS + "/web/status", "application/merge-patch+json",
        "{\"status\":{\"readyReplicas\":2},\"spec\":{\"replicas\":9}}").code()).isEqualTo(200);
    JsonNode after = json(call("GET", DEPLOYMENTS + "/web", null, ""));
    assertThat(after.at("/status/readyReplicas").asInt()).isEqualTo(2);
    assertThat(after.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(after.at("/metadata/generation").asInt()).isEqualTo(1);
  }

  @Test
  void scaleReadsAndWritesTheReplicaCountAsAScale() throws IOException {
    JsonNode scale = json(call("GET", DEPLOYMENTS + "/web/scale", null, ""));
    assertThat(scale.get("kind").asText()).isEqualTo("Scale");
    assertThat(scale.get("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(scale.at("/status/selector").asText()).isEqualTo("app=web");
    ApiResponse patched = call("PATCH", DEPLOYMENTS + "/web/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":5}}");
    assertThat(patched.code()).isEqualTo(200);
    assertThat(json(patched).at("/spec/replicas").asInt()).isEqualTo(5);
    JsonNode deployment = json(call("GET", DEPLOYMENTS + "/web", null, ""));
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(deployment.at("/metadata/generation").asInt()).isEqualTo(2);
    assertThat(call("PATCH", DEPLOYMENTS + "/web/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":-1}}").code()).isEqualTo(422);
  }

  @Test
  void aPodIsBoundOnceAndASecondBindingIsAConflict() throws IOException {
    ApiResponse bound = call("POST", PODS + "/p/binding", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},"
            + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"n1\"}}");
    assertThat(bound.code()).isEqualTo(201);
    assertThat(json(bound).get("status").asText()).isEqualTo("Success");
    JsonNode pod = json(call("GET", PODS + "/p", null, ""));
    assertThat(pod.at("/spec/nodeName").asText()).isEqualTo("n1");
    assertThat(pod.at("/status/conditions/0/type").asText()).isEqualTo("PodScheduled");
    assertThat(pod.at("/status/conditions/0/status").asText()).isEqualTo("True");
    ApiResponse again = call("POST", PODS + "/p/binding", "application/json",
        "{\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"n2\"}}");
    assertThat(again.code()).isEqualTo(409);
    assertThat(json(again).get("message").asText()).contains("pod p is already assigned to node \"n1\"");
    assertThat(json(call("GET", PODS + "/p", null, "")).at("/spec/nodeName").asText()).isEqualTo("n1");
  }

  @Test
  void aBindingForAnotherIncarnationOfThePodIsAConflictAndBindsNothing() throws IOException {
    ApiResponse stale = call("POST", PODS + "/p/binding", "application/json",
        "{\"metadata\":{\"name\":\"p\",\"uid\":\"uid-of-a-deleted-pod\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}");
    assertThat(stale.code()).isEqualTo(409);
    assertThat(json(stale).get("message").asText()).contains("UID in precondition: uid-of-a-deleted-pod");
    assertThat(json(call("GET", PODS + "/p", null, "")).at("/spec/nodeName").asText()).isEmpty();
    String uid = json(call("GET", PODS + "/p", null, "")).at("/metadata/uid").asText();
    assertThat(call("POST", PODS + "/p/binding", "application/json",
        "{\"metadata\":{\"name\":\"p\",\"uid\":\"" + uid + "\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}")
        .code()).isEqualTo(201);
  }

  @Test
  void anEvictionDeletesThePod() throws IOException {
    ApiResponse evicted = call("POST", PODS + "/p/eviction", "application/json",
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"p\"}}");
    assertThat(evicted.code()).isEqualTo(201);
    assertThat(call("GET", PODS + "/p", null, "").code()).isEqualTo(404);
  }

  @Test
  void logsOfAnUnscheduledPodAreABadRequestAndUnknownSubresourcesAreNotFound() throws IOException {
    ApiResponse log = call("GET", PODS + "/p/log", null, "");
    assertThat(log.code()).isEqualTo(400);
    assertThat(json(log).get("message").asText()).isEqualTo("pod \"p\" does not have a host assigned");
    assertThat(call("GET", PODS + "/p/exec", null, "").code()).isEqualTo(404);
    assertThat(call("GET", "/api/v1/namespaces/default/configmaps/x/status", null, "").code()).isEqualTo(404);
  }

  private ApiResponse call(String method, String path, String contentType, String body) {
    return api.router().route(new ApiRequest(method, path, Map.of(), contentType,
        body.getBytes(StandardCharsets.UTF_8))).join();
  }

  private static JsonNode json(ApiResponse response) throws IOException {
    return ObjectCodec.JSON.readTree(response.body());
  }
}
