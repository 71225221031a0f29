package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.apiserver.testing.ApiCluster;
import io.berth.apiserver.testing.Kubectl;
import io.berth.apiserver.testing.Kubectl.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified kubectl (v1.32) reading what the API says about itself: aggregated discovery
 * (api-resources), the OpenAPI v3 documents (explain), and apply with its default
 * --validate=strict, which leaves unknown fields to the server once the documents say it
 * honours fieldValidation. None of it may make kubectl log a fallback or an error.
 */
class KubectlSchemaIT {
  @TempDir
  static Path root;
  static ApiCluster cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not installed at " + Kubectl.BINARY);
    cluster = ApiCluster.start(root.resolve("cluster"), 3);
    cluster.leader(Duration.ofSeconds(30));
    kubectl = new Kubectl(Files.createDirectories(root.resolve("kubectl")), cluster.url(cluster.follower()));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void apiResourcesShowsShortNamesKindsAndCategories() throws Exception {
    Result resources = quiet(kubectl.run("api-resources", "-o", "wide"));
    assertThat(resources.stdout().lines().findFirst().orElseThrow())
        .containsPattern("NAME\\s+SHORTNAMES\\s+APIVERSION\\s+NAMESPACED\\s+KIND\\s+VERBS\\s+CATEGORIES");
    assertThat(resources.stdout())
        .containsPattern("(?m)^pods\\s+po\\s+v1\\s+true\\s+Pod\\s+create,delete,(deletecollection,)?get,list,patch,update,watch\\s+all$")
        .containsPattern("(?m)^namespaces\\s+ns\\s+v1\\s+false\\s+Namespace\\s")
        .containsPattern("(?m)^deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment\\s.*\\sall$");
    // Categories reach kubectl: "all" names pods, services and deployments, not configmaps.
    assertThat(quiet(kubectl.run("api-resources", "--categories=all", "-o", "name")).stdout())
        .isEqualTo("pods\nservices\ndeployments.apps\nreplicasets.apps\n");
  }

  @Test
  void explainPrintsKubernetesFieldDocs() throws Exception {
    Result pods = quiet(kubectl.run("explain", "pods"));
    assertThat(pods.stdout()).contains("KIND:       Pod", "VERSION:    v1")
        .contains("Pod is a collection of containers that can run on a host.")
        .containsPattern("metadata\\s+<ObjectMeta>")
        .containsPattern("spec\\s+<PodSpec>");

    Result containers = quiet(kubectl.run("explain", "pods.spec.containers"));
    assertThat(containers.stdout()).contains("FIELD: containers <[]Container>")
        .contains("List of containers belonging to the pod.")
        .containsPattern("image\\s+<string>")
        .contains("Container image name.");

    Result deployment = quiet(kubectl.run("explain", "deployment.spec.template.spec.containers.image"));
    assertThat(deployment.stdout()).contains("GROUP:      apps", "KIND:       Deployment")
        .contains("FIELD: image <string>");
  }

  @Test
  void applyValidatesStrictlyByDefault() throws Exception {
    Path valid = root.resolve("valid.json");
    Files.writeString(valid, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"strict"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"strict"}},
          "template":{"metadata":{"labels":{"app":"strict"}},
           "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
    assertThat(quiet(kubectl.run("apply", "--validate=strict", "-f", valid.toString())).stdout())
        .isEqualTo("deployment.apps/strict created\n");

    Path misspelt = root.resolve("misspelt.json");
    Files.writeString(misspelt, """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typo"},"dataa":{"a":"b"}}""");
    Result refused = kubectl.run("apply", "--validate=strict", "-f", misspelt.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).isEqualTo("Error from server (BadRequest): error when creating \"" + misspelt
        + "\": ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
        + "unknown field \"dataa\"\n");
    assertThat(kubectl.run("get", "configmap", "typo").exitCode()).isEqualTo(1);

    // kubectl create -f validates the same way.
    Result created = kubectl.run("create", "-f", misspelt.toString());
    assertThat(created.stderr()).contains("strict decoding error: unknown field \"dataa\"");
  }

  /** Succeeded and printed nothing on stderr: no discovery or OpenAPI fallbacks, no warnings. */
  private static Result quiet(Result result) {
    assertThat(result.exitCode()).as("kubectl failed: %s", result.stderr()).isZero();
    assertThat(result.stderr()).isEmpty();
    return result;
  }
}
