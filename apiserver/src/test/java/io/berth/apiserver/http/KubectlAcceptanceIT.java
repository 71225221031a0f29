package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.apiserver.testing.ApiCluster;
import io.berth.apiserver.testing.Kubectl;
import io.berth.apiserver.testing.Kubectl.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified kubectl (v1.32) against a 3-replica cluster, through a replica that is
 * not the store leader: discovery, list, create, get by name and short name, delete,
 * and the NotFound error as kubectl prints it.
 */
class KubectlAcceptanceIT {
  @TempDir
  static Path root;
  static ApiCluster cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not installed at " + Kubectl.BINARY);
    cluster = ApiCluster.start(root.resolve("cluster"), 3);
    cluster.leader(java.time.Duration.ofSeconds(30));
    kubectl = new Kubectl(Files.createDirectories(root.resolve("kubectl")), cluster.url(cluster.follower()));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void configMapLifecycleThroughKubectl() throws Exception {
    Result namespaces = ok(kubectl.run("get", "ns"));
    assertThat(namespaces.stdout()).contains("default", "kube-system", "kube-node-lease");
    // Served as a Table: the columns kubectl users know.
    assertThat(namespaces.stdout().lines().findFirst().orElseThrow()).containsPattern("NAME\\s+STATUS\\s+AGE");
    assertThat(namespaces.stdout()).contains("Active");

    assertThat(ok(kubectl.run("get", "ns", "-l", "kubernetes.io/metadata.name=kube-system", "-o", "name")).stdout())
        .isEqualTo("namespace/kube-system\n");

    Result created = ok(kubectl.run("create", "configmap", "c", "--from-literal=a=b"));
    assertThat(created.stdout()).contains("configmap/c created");

    JsonNode object = new ObjectMapper().readTree(ok(kubectl.run("get", "configmap", "c", "-o", "json")).stdout());
    assertThat(object.get("kind").asText()).isEqualTo("ConfigMap");
    assertThat(object.at("/data/a").asText()).isEqualTo("b");
    assertThat(object.at("/metadata/namespace").asText()).isEqualTo("default");
    assertThat(object.at("/metadata/uid").asText()).isNotEmpty();

    Result shortName = ok(kubectl.run("get", "cm"));
    assertThat(shortName.stdout().lines().findFirst().orElseThrow()).containsPattern("NAME\\s+DATA\\s+AGE");
    assertThat(shortName.stdout()).containsPattern("(?m)^c\\s+1\\s+\\d+s$");

    // kubectl label sends a JSON merge patch.
    assertThat(ok(kubectl.run("label", "configmap", "c", "tier=web")).stdout()).contains("configmap/c labeled");
    assertThat(ok(kubectl.run("get", "cm", "-l", "tier=web", "-o", "name")).stdout()).isEqualTo("configmap/c\n");

    assertThat(ok(kubectl.run("delete", "configmap", "c")).stdout()).contains("configmap \"c\" deleted");

    Result missing = kubectl.run("get", "configmap", "c");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("Error from server (NotFound)").contains("configmaps \"c\" not found");
  }

  @Test
  void namespaceAndSecretFromKubectlsTypedCommands() throws Exception {
    // Both are sent as Kubernetes protobuf.
    assertThat(ok(kubectl.run("create", "namespace", "team")).stdout()).contains("namespace/team created");
    assertThat(ok(kubectl.run("create", "secret", "generic", "s", "-n", "team", "--from-literal=password=hunter2"))
        .stdout()).contains("secret/s created");
    assertThat(ok(kubectl.run("get", "secret", "s", "-n", "team", "-o", "jsonpath={.data.password}")).stdout())
        .isEqualTo("aHVudGVyMg==");
    Result elsewhere = kubectl.run("create", "secret", "generic", "s", "-n", "nowhere", "--from-literal=a=b");
    assertThat(elsewhere.exitCode()).isEqualTo(1);
    // kubectl's create secret words it "failed to create secret <message>", as against a real cluster.
    assertThat(elsewhere.stderr()).contains("namespaces \"nowhere\" not found");
  }

  @Test
  void createFromAFile() throws Exception {
    Path manifest = root.resolve("deployment.json");
    Files.writeString(manifest, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
    // kubectl validates by default (--validate=strict): through /openapi/v3 it learns that the
    // server checks fields (fieldValidation=Strict), and leaves that to it.
    assertThat(ok(kubectl.run("create", "-f", manifest.toString())).stdout())
        .contains("deployment.apps/web created");
    assertThat(ok(kubectl.run("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"))
        .stdout()).isEqualTo("nginx");
    Result wide = ok(kubectl.run("get", "deploy", "-o", "wide"));
    assertThat(wide.stdout().lines().findFirst().orElseThrow())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR");
    assertThat(wide.stdout()).containsPattern("web\\s+0/1\\s+0\\s+0\\s+\\S+\\s+c\\s+nginx\\s+app=web");
    Result again = kubectl.run("create", "-f", manifest.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("Error from server (AlreadyExists)");
  }

  @Test
  void applyAgainPatchesOfEveryTypeAndGetWatchThroughKubectl() throws Exception {
    Path manifest = root.resolve("app.yaml");
    Files.writeString(manifest, appManifest("v1", 2));
    assertThat(ok(kubectl.run("apply", "-f", manifest.toString())).stdout())
        .contains("deployment.apps/app created", "configmap/app-config created");

    try (Kubectl.Running watch = kubectl.start("get", "configmap", "app-config", "-w", "-o",
        "custom-columns=NAME:.metadata.name,V:.data.version")) {
      assertThat(watch.awaitOutput("app-config   v1", java.time.Duration.ofSeconds(20)))
          .as("kubectl get -w printed the current state: %s", watch.output()).isTrue();
      // A second apply computes a strategic merge patch from the last-applied annotation.
      Files.writeString(manifest, appManifest("v2", 3));
      assertThat(ok(kubectl.run("apply", "-f", manifest.toString())).stdout())
          .contains("deployment.apps/app configured", "configmap/app-config configured");
      assertThat(watch.awaitOutput("app-config   v2", java.time.Duration.ofSeconds(20)))
          .as("kubectl get -w saw the update: %s", watch.output()).isTrue();
    }
    assertThat(ok(kubectl.run("get", "deploy", "app", "-o", "jsonpath={.spec.replicas}")).stdout()).isEqualTo("3");

    ok(kubectl.run("patch", "deploy", "app", "--type=json",
        "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]"));
    ok(kubectl.run("patch", "deploy", "app", "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}"));
    // Strategic: the sidecar joins the list of containers by name instead of replacing it.
    ok(kubectl.run("patch", "deploy", "app", "--type=strategic",
        "-p", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}}}"));
    JsonNode app = new ObjectMapper().readTree(ok(kubectl.run("get", "deploy", "app", "-o", "json")).stdout());
    assertThat(app.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(app.at("/metadata/labels/tier").asText()).isEqualTo("web");
    assertThat(app.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("web");
    assertThat(app.at("/spec/template/spec/containers/1/name").asText()).isEqualTo("sidecar");
    assertThat(app.at("/metadata/generation").asInt()).isGreaterThanOrEqualTo(4);

    // kubectl scale writes the scale subresource.
    assertThat(ok(kubectl.run("scale", "deploy", "app", "--replicas=6")).stdout()).contains("deployment.apps/app scaled");
    assertThat(ok(kubectl.run("get", "deploy", "app", "-o", "jsonpath={.spec.replicas}")).stdout()).isEqualTo("6");

    ok(kubectl.run("annotate", "deploy", "app", "owner=team-a"));
    assertThat(ok(kubectl.run("get", "deploy", "app", "-o", "jsonpath={.metadata.annotations.owner}")).stdout())
        .isEqualTo("team-a");

    // Server-side apply: the field manager kubectl owns the fields it applied.
    Path ssa = root.resolve("ssa.yaml");
    Files.writeString(ssa, """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ssa
        data:
          k: v
        """);
    assertThat(ok(kubectl.run("apply", "--server-side", "-f", ssa.toString())).stdout())
        .contains("configmap/ssa serverside-applied");
    JsonNode managed = new ObjectMapper().readTree(ok(kubectl.run("get", "cm", "ssa", "-o", "json",
        "--show-managed-fields")).stdout()).at("/metadata/managedFields/0");
    assertThat(managed.get("manager").asText()).isEqualTo("kubectl");
    assertThat(managed.get("operation").asText()).isEqualTo("Apply");
    assertThat(managed.at("/fieldsV1/f:data/f:k").isObject()).isTrue();

    assertThat(ok(kubectl.run("delete", "-f", manifest.toString())).stdout())
        .contains("deployment.apps \"app\" deleted", "configmap \"app-config\" deleted");
  }

  @Test
  void staleUpdateIsAConflict() throws Exception {
    ok(kubectl.run("create", "configmap", "stale", "--from-literal=a=1"));
    JsonNode object = new ObjectMapper().readTree(ok(kubectl.run("get", "cm", "stale", "-o", "json")).stdout());
    ok(kubectl.run("label", "cm", "stale", "moved=on"));
    Path old = root.resolve("stale.json");
    Files.writeString(old, object.toString());
    Result replaced = kubectl.run("replace", "-f", old.toString());
    assertThat(replaced.exitCode()).isEqualTo(1);
    assertThat(replaced.stderr()).contains("Error from server (Conflict)")
        .contains("the object has been modified; please apply your changes to the latest version and try again");
  }

  private static String appManifest(String version, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          replicas: %d
          selector:
            matchLabels: {app: app}
          template:
            metadata:
              labels: {app: app}
            spec:
              containers:
              - name: web
                image: nginx:%s
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-config
        data:
          version: %s
        """.formatted(replicas, version, version);
  }

  /** Succeeded, and logged nothing: no discovery or OpenAPI fallbacks, no warnings. */
  private static Result ok(Result result) {
    assertThat(result.exitCode()).as("kubectl failed: %s", result.stderr()).isZero();
    assertThat(result.stderr()).isEmpty();
    return result;
  }
}
