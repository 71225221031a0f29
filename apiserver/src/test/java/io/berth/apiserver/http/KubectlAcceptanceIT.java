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

  /** Succeeded, and logged nothing: no discovery or OpenAPI fallbacks, no warnings. */
  private static Result ok(Result result) {
    assertThat(result.exitCode()).as("kubectl failed: %s", result.stderr()).isZero();
    assertThat(result.stderr()).isEmpty();
    return result;
  }
}
