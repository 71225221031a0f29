package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.testing.ApiCluster;
import io.berth.apiserver.testing.Http;
import io.berth.apiserver.testing.Http.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three stacked replicas, each with its API server: a write through one is seen by
 * reads through another, and Kubernetes' error semantics hold across replicas.
 */
class ApiServerReplicationIT {
  @TempDir
  static Path root;
  static ApiCluster cluster;
  static final Http http = new Http();
  static String a;
  static String b;

  @BeforeAll
  static void start() throws Exception {
    cluster = ApiCluster.start(root, 3);
    int leader = cluster.leader(Duration.ofSeconds(30));
    int follower = cluster.follower();
    // Writes through the leader, reads through a follower: the read must not be stale.
    a = cluster.url(leader);
    b = cluster.url(follower);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String configMap(String name, String value) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"data\":{\"k\":\"" + value + "\"}}";
  }

  @Test
  void systemNamespacesExistOnEveryReplica() throws Exception {
    for (String replica : List.of(a, b)) {
      Reply list = http.get(replica + "/api/v1/namespaces");
      assertThat(list.code()).isEqualTo(200);
      assertThat(list.body().get("kind").asText()).isEqualTo("NamespaceList");
      List<String> names = new ArrayList<>();
      list.body().get("items").forEach(item -> names.add(item.at("/metadata/name").asText()));
      assertThat(names).contains("default", "kube-system", "kube-node-lease");
    }
  }

  @Test
  void objectCreatedThroughOneReplicaIsReadAtOnceThroughAnother() throws Exception {
    Reply created = http.send("POST", a + "/api/v1/namespaces/default/configmaps", configMap("seen", "v1"));
    assertThat(created.code()).isEqualTo(201);
    JsonNode meta = created.body().get("metadata");
    assertThat(meta.get("uid").asText()).isNotEmpty();
    assertThat(meta.get("creationTimestamp").asText()).isNotEmpty();
    assertThat(meta.get("namespace").asText()).isEqualTo("default");
    long rv = Long.parseLong(meta.get("resourceVersion").asText());

    Reply got = http.get(b + "/api/v1/namespaces/default/configmaps/seen");
    assertThat(got.code()).isEqualTo(200);
    assertThat(got.body().at("/data/k").asText()).isEqualTo("v1");
    assertThat(got.body().at("/metadata/resourceVersion").asText()).isEqualTo(Long.toString(rv));
    assertThat(got.body().at("/metadata/uid").asText()).isEqualTo(meta.get("uid").asText());

    Reply list = http.get(b + "/api/v1/namespaces/default/configmaps");
    assertThat(list.body().get("kind").asText()).isEqualTo("ConfigMapList");
    assertThat(Long.parseLong(list.body().at("/metadata/resourceVersion").asText())).isGreaterThanOrEqualTo(rv);
    List<String> names = new ArrayList<>();
    list.body().get("items").forEach(item -> names.add(item.at("/metadata/name").asText()));
    assertThat(names).contains("seen");
  }

  @Test
  void secondCreateOfTheSameNameIsAlreadyExists() throws Exception {
    assertThat(http.send("POST", a + "/api/v1/namespaces/default/configmaps", configMap("twice", "1")).code())
        .isEqualTo(201);
    Reply again = http.send("POST", b + "/api/v1/namespaces/default/configmaps", configMap("twice", "2"));
    assertStatus(again, 409, "AlreadyExists", "configmaps \"twice\" already exists");
    assertThat(again.body().at("/details/name").asText()).isEqualTo("twice");
    assertThat(again.body().at("/details/kind").asText()).isEqualTo("configmaps");
  }

  @Test
  void updateWithStaleResourceVersionIsConflictAndCurrentOneSucceeds() throws Exception {
    Reply created = http.send("POST", a + "/api/v1/namespaces/default/configmaps", configMap("upd", "1"));
    String rv = created.body().at("/metadata/resourceVersion").asText();
    String url = "/api/v1/namespaces/default/configmaps/upd";

    Reply updated = http.send("PUT", b + url, withResourceVersion(configMap("upd", "2"), rv));
    assertThat(updated.code()).isEqualTo(200);
    assertThat(updated.body().at("/data/k").asText()).isEqualTo("2");
    assertThat(Long.parseLong(updated.body().at("/metadata/resourceVersion").asText())).isGreaterThan(Long.parseLong(rv));
    assertThat(updated.body().at("/metadata/uid").asText()).isEqualTo(created.body().at("/metadata/uid").asText());

    Reply stale = http.send("PUT", a + url, withResourceVersion(configMap("upd", "3"), rv));
    assertStatus(stale, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"upd\": the object has been modified");
    assertThat(http.get(a + url).body().at("/data/k").asText()).isEqualTo("2");
  }

  @Test
  void concurrentUpdatesFromTheSameVersionThroughDifferentReplicasHaveOneWinner() throws Exception {
    Reply created = http.send("POST", a + "/api/v1/namespaces/default/configmaps", configMap("race", "0"));
    String rv = created.body().at("/metadata/resourceVersion").asText();
    List<java.util.concurrent.CompletableFuture<Integer>> updates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String replica = i % 2 == 0 ? a : b;
      String body = withResourceVersion(configMap("race", "writer-" + i), rv);
      updates.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return http.send("PUT", replica + "/api/v1/namespaces/default/configmaps/race", body).code();
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }));
    }
    List<Integer> codes = updates.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    assertThat(codes).containsOnly(200, 409);
    assertThat(codes.stream().filter(c -> c == 200).count()).isEqualTo(1);
  }

  @Test
  void deleteReturnsTheObjectAndThenItIsNotFoundEverywhere() throws Exception {
    http.send("POST", a + "/api/v1/namespaces/default/configmaps", configMap("gone", "x"));
    Reply deleted = http.send("DELETE", b + "/api/v1/namespaces/default/configmaps/gone", null);
    assertThat(deleted.code()).isEqualTo(200);
    assertThat(deleted.body().at("/metadata/name").asText()).isEqualTo("gone");
    assertThat(deleted.body().at("/data/k").asText()).isEqualTo("x");

    assertStatus(http.get(a + "/api/v1/namespaces/default/configmaps/gone"), 404, "NotFound",
        "configmaps \"gone\" not found");
    assertStatus(http.send("DELETE", a + "/api/v1/namespaces/default/configmaps/gone", null), 404, "NotFound",
        "configmaps \"gone\" not found");
  }

  @Test
  void deploymentsAreStoredAndReturnedFaithfully() throws Exception {
    String deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"c","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}}""";
    Reply created = http.send("POST", a + "/apis/apps/v1/namespaces/default/deployments", deployment);
    assertThat(created.code()).isEqualTo(201);
    Reply got = http.get(b + "/apis/apps/v1/namespaces/default/deployments/web");
    assertThat(got.body().get("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(got.body().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(got.body().at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
    assertThat(got.body().at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(80);
    assertStatus(http.get(b + "/apis/apps/v1/namespaces/default/deployments/nope"), 404, "NotFound",
        "deployments.apps \"nope\" not found");
  }

  @Test
  void createInAMissingNamespaceIsNotFoundForTheNamespace() throws Exception {
    Reply reply = http.send("POST", a + "/api/v1/namespaces/nowhere/configmaps", configMap("c", "v"));
    assertStatus(reply, 404, "NotFound", "namespaces \"nowhere\" not found");
  }

  @Test
  void namespaceCreatedThroughTheApiCanHoldObjects() throws Exception {
    Reply ns = http.send("POST", a + "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team-a\"}}");
    assertThat(ns.code()).isEqualTo(201);
    assertThat(ns.body().get("kind").asText()).isEqualTo("Namespace");
    assertThat(http.send("POST", b + "/api/v1/namespaces/team-a/configmaps", configMap("c", "v")).code())
        .isEqualTo(201);
    Reply all = http.get(b + "/api/v1/configmaps");
    List<String> namespaces = new ArrayList<>();
    all.body().get("items").forEach(item -> namespaces.add(item.at("/metadata/namespace").asText()));
    assertThat(namespaces).contains("team-a", "default");
  }

  @Test
  void errorsAreKubernetesStatuses() throws Exception {
    assertStatus(http.send("POST", a + "/api/v1/namespaces/default/configmaps", "{not json"), 400, "BadRequest",
        "could not be decoded");
    assertStatus(http.get(a + "/api/v1/namespaces/default/widgets"), 404, "NotFound",
        "the server could not find the requested resource");
    assertStatus(http.send("POST", a + "/api/v1/namespaces/kube-system/configmaps",
        "{\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"}}"), 400, "BadRequest", "does not match the namespace");
  }

  @Test
  void generateNameGivesAFreshName() throws Exception {
    String body = "{\"metadata\":{\"generateName\":\"job-\"}}";
    Reply first = http.send("POST", a + "/api/v1/namespaces/default/configmaps", body);
    Reply second = http.send("POST", a + "/api/v1/namespaces/default/configmaps", body);
    String firstName = first.body().at("/metadata/name").asText();
    assertThat(firstName).startsWith("job-").hasSize(9);
    assertThat(second.body().at("/metadata/name").asText()).startsWith("job-").isNotEqualTo(firstName);
  }

  static String withResourceVersion(String json, String rv) {
    return json.replace("\"metadata\":{", "\"metadata\":{\"resourceVersion\":\"" + rv + "\",");
  }

  static void assertStatus(Reply reply, int code, String reason, String messagePart) {
    assertThat(reply.code()).isEqualTo(code);
    JsonNode s = reply.body();
    assertThat(s.get("kind").asText()).isEqualTo("Status");
    assertThat(s.get("apiVersion").asText()).isEqualTo("v1");
    assertThat(s.get("status").asText()).isEqualTo("Failure");
    assertThat(s.get("reason").asText()).isEqualTo(reason);
    assertThat(s.get("code").asInt()).isEqualTo(code);
    assertThat(s.get("message").asText()).contains(messagePart);
  }
}
