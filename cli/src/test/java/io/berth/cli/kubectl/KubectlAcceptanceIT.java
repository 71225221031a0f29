package io.berth.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cli.Main;
import io.berth.cli.kubectl.Kubectl.Result;
import io.berth.cli.local.ClusterFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified kubectl (v1.32) against a 3-replica cluster started with {@code berth up}:
 * one scenario of everyday commands run through the kubeconfig berth up writes, again
 * through a replica that is not the Raft leader, and again after the leader replica
 * has been killed with SIGKILL. Each run works in a namespace of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlAcceptanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path root;
  static Path dir;

  @org.junit.jupiter.api.extension.RegisterExtension
  static final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> KubectlAcceptanceIT.dir);

  static ClusterFile cluster;

  @BeforeAll
  static void up() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not installed at " + Kubectl.BINARY);
    dir = root.resolve("cluster");
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    cluster = ClusterFile.read(dir);
  }

  @AfterAll
  static void down() {
    if (dir != null) {
      Main.run("down", "--dir", dir.toString());
    }
  }

  @Test
  @Order(1)
  void kubectlWorksThroughTheKubeconfigBerthUpWrote() throws Exception {
    Kubectl kubectl = new Kubectl(Files.createDirectories(root.resolve("k1")), dir.resolve("kubeconfig"));
    apiResourcesExplainAndStrictValidation(kubectl);
    scenario(kubectl, "first");
  }

  @Test
  @Order(2)
  void kubectlWorksThroughAReplicaThatIsNotTheLeader() throws Exception {
    ClusterFile.ProcessEntry follower = cluster.withRole("server").stream().filter(p -> !isLeader(p)).findFirst()
        .orElseThrow();
    scenario(new Kubectl(Files.createDirectories(root.resolve("k2")), apiUrl(follower)), "follower");
  }

  @Test
  @Order(3)
  void kubectlWorksAfterTheLeaderReplicaIsKilled() throws Exception {
    ClusterFile.ProcessEntry leader = awaitLeader(cluster.withRole("server"));
    ProcessHandle.of(leader.pid).ifPresent(ProcessHandle::destroyForcibly);
    List<ClusterFile.ProcessEntry> survivors = cluster.withRole("server").stream().filter(p -> p != leader).toList();
    awaitLeader(survivors);
    scenario(new Kubectl(Files.createDirectories(root.resolve("k3")), apiUrl(survivors.get(0))), "after-failover");
  }

  private static void apiResourcesExplainAndStrictValidation(Kubectl kubectl) throws Exception {
    Result resources = ok(kubectl.run("api-resources", "-o", "wide"));
    assertThat(resources.stdout())
        .containsPattern("(?m)^pods\\s+po\\s+v1\\s+true\\s+Pod\\s")
        .containsPattern("(?m)^replicasets\\s+rs\\s+apps/v1\\s+true\\s+ReplicaSet\\s")
        .containsPattern("(?m)^ingresses\\s+ing\\s+networking.k8s.io/v1\\s+true\\s+Ingress\\s")
        .containsPattern("(?m)^leases\\s+coordination.k8s.io/v1\\s+true\\s+Lease\\s");
    // Categories reach kubectl: "all" names the workloads and services, not configmaps.
    assertThat(ok(kubectl.run("api-resources", "--categories=all", "-o", "name")).stdout())
        .isEqualTo("pods\nservices\ndeployments.apps\nreplicasets.apps\n");

    // explain reads the OpenAPI v3 documents.
    assertThat(ok(kubectl.run("explain", "pods")).stdout()).contains("KIND:       Pod", "VERSION:    v1")
        .contains("Pod is a collection of containers that can run on a host.")
        .containsPattern("spec\\s+<PodSpec>");
    assertThat(ok(kubectl.run("explain", "pods.spec.containers")).stdout())
        .contains("FIELD: containers <[]Container>", "List of containers belonging to the pod.")
        .containsPattern("image\\s+<string>");
    assertThat(ok(kubectl.run("explain", "deployment.spec.template.spec.containers.image")).stdout())
        .contains("GROUP:      apps", "KIND:       Deployment", "FIELD: image <string>");

    // kubectl validates strictly by default, leaving unknown fields to the server.
    Path misspelt = root.resolve("misspelt.json");
    Files.writeString(misspelt, """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typo"},"dataa":{"a":"b"}}""");
    Result refused = kubectl.run("apply", "--validate=strict", "-f", misspelt.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).isEqualTo("Error from server (BadRequest): error when creating \"" + misspelt
        + "\": ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
        + "unknown field \"dataa\"\n");
    assertThat(kubectl.run("get", "configmap", "typo").exitCode()).isEqualTo(1);
  }

  /** The everyday commands, in namespace {@code ns}, each checked for what it prints. */
  private static void scenario(Kubectl kubectl, String ns) throws Exception {
    // Typed commands are sent as Kubernetes protobuf.
    assertThat(ok(kubectl.run("create", "namespace", ns)).stdout()).contains("namespace/" + ns + " created");
    assertThat(ok(kubectl.run("get", "ns", ns)).stdout()).containsPattern(ns + "\\s+Active\\s+\\d+s");
    ok(kubectl.run("create", "secret", "generic", "s", "-n", ns, "--from-literal=password=hunter2"));
    assertThat(ok(kubectl.run("get", "secret", "s", "-n", ns, "-o", "jsonpath={.data.password}")).stdout())
        .isEqualTo("aHVudGVyMg==");

    // kubectl create deployment and create service send protobuf too.
    assertThat(ok(kubectl.run("create", "deployment", "typed", "-n", ns, "--image=nginx", "--replicas=2")).stdout())
        .contains("deployment.apps/typed created");
    assertThat(ok(kubectl.run("create", "service", "clusterip", "typed", "-n", ns, "--tcp=80:8080")).stdout())
        .contains("service/typed created");
    assertThat(ok(kubectl.run("get", "svc", "typed", "-n", ns, "-o", "jsonpath={.spec.ports[0].targetPort}"))
        .stdout()).isEqualTo("8080");

    // apply -f of every kind, then get in every output format.
    Path manifest = root.resolve(ns + "-all.yaml");
    Files.writeString(manifest, everyKind(ns, "v1", 2));
    Result applied = ok(kubectl.run("apply", "-f", manifest.toString()));
    assertThat(applied.stdout()).contains("deployment.apps/web created", "service/web created",
        "configmap/web-config created", "ingress.networking.k8s.io/web created", "replicaset.apps/cache created",
        "pod/probe created", "endpoints/manual created", "lease.coordination.k8s.io/lock created");
    for (String kind : List.of("deploy", "svc", "cm", "ing", "rs", "po", "ep", "lease", "secret")) {
      ok(kubectl.run("get", kind, "-n", ns));
      ok(kubectl.run("get", kind, "-n", ns, "-o", "wide"));
      assertThat(JSON.readTree(ok(kubectl.run("get", kind, "-n", ns, "-o", "json")).stdout()).get("items"))
          .as(kind).isNotEmpty();
      assertThat(ok(kubectl.run("get", kind, "-n", ns, "-o", "yaml")).stdout()).contains("kind: List");
    }
    Result deployments = ok(kubectl.run("get", "deploy", "-n", ns, "-o", "wide"));
    assertThat(deployments.stdout().lines().findFirst().orElseThrow())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR");
    assertThat(ok(kubectl.run("get", "pods", "-n", ns)).stdout().lines().findFirst().orElseThrow())
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
    assertThat(ok(kubectl.run("get", "svc", "web", "-n", ns)).stdout())
        .containsPattern("web\\s+ClusterIP\\s+\\S+\\s+<none>\\s+80/TCP");
    assertThat(ok(kubectl.run("describe", "deploy", "web", "-n", ns)).stdout())
        .contains("Name:", "web", "Namespace:", ns, "Replicas:");
    assertThat(ok(kubectl.run("describe", "cm", "web-config", "-n", ns)).stdout()).contains("version");

    // get -w sees the update a second apply makes (a strategic merge patch).
    try (Kubectl.Running watch = kubectl.start("get", "configmap", "web-config", "-n", ns, "-w", "-o",
        "custom-columns=NAME:.metadata.name,V:.data.version")) {
      assertThat(watch.awaitOutput("web-config   v1", Duration.ofSeconds(20))).as(watch.output()).isTrue();
      Files.writeString(manifest, everyKind(ns, "v2", 3));
      assertThat(ok(kubectl.run("apply", "-f", manifest.toString())).stdout())
          .contains("deployment.apps/web configured", "configmap/web-config configured");
      assertThat(watch.awaitOutput("web-config   v2", Duration.ofSeconds(20))).as(watch.output()).isTrue();
    }

    // label, annotate, the three patch types, scale.
    ok(kubectl.run("label", "deploy", "web", "-n", ns, "tier=frontend"));
    ok(kubectl.run("annotate", "deploy", "web", "-n", ns, "owner=team-a"));
    ok(kubectl.run("patch", "deploy", "web", "-n", ns, "--type=json",
        "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]"));
    ok(kubectl.run("patch", "deploy", "web", "-n", ns, "--type=merge",
        "-p", "{\"metadata\":{\"labels\":{\"team\":\"a\"}}}"));
    ok(kubectl.run("patch", "deploy", "web", "-n", ns, "--type=strategic",
        "-p", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}}}"));
    assertThat(ok(kubectl.run("scale", "deploy", "web", "-n", ns, "--replicas=5")).stdout())
        .contains("deployment.apps/web scaled");
    JsonNode web = JSON.readTree(ok(kubectl.run("get", "deploy", "web", "-n", ns, "-o", "json")).stdout());
    assertThat(web.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(web.at("/metadata/labels/tier").asText()).isEqualTo("frontend");
    assertThat(web.at("/metadata/labels/team").asText()).isEqualTo("a");
    assertThat(web.at("/metadata/annotations/owner").asText()).isEqualTo("team-a");
    assertThat(web.at("/spec/template/spec/containers")).hasSize(2);
    assertThat(ok(kubectl.run("get", "deploy", "-n", ns, "-l", "tier=frontend", "-o", "name")).stdout())
        .isEqualTo("deployment.apps/web\n");

    // Server-side apply records the field manager.
    Path ssa = root.resolve(ns + "-ssa.yaml");
    Files.writeString(ssa, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: " + ns
        + "\ndata:\n  k: v\n");
    assertThat(ok(kubectl.run("apply", "--server-side", "-f", ssa.toString())).stdout())
        .contains("configmap/ssa serverside-applied");
    JsonNode managed = JSON.readTree(ok(kubectl.run("get", "cm", "ssa", "-n", ns, "-o", "json",
        "--show-managed-fields")).stdout()).at("/metadata/managedFields/0");
    assertThat(managed.get("manager").asText()).isEqualTo("kubectl");
    assertThat(managed.get("operation").asText()).isEqualTo("Apply");

    // Errors, as kubectl prints them.
    Path invalid = root.resolve(ns + "-invalid.yaml");
    Files.writeString(invalid, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: bad, namespace: %s}
        spec:
          replicas: -1
          selector: {matchLabels: {app: bad}}
          template:
            metadata: {labels: {app: other}}
            spec: {containers: [{name: c, image: nginx}]}
        """.formatted(ns));
    Result refused = kubectl.run("apply", "-f", invalid.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("The Deployment \"bad\" is invalid:")
        .contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0")
        .contains("spec.template.metadata.labels");
    JsonNode stale = JSON.readTree(ok(kubectl.run("get", "cm", "web-config", "-n", ns, "-o", "json")).stdout());
    ok(kubectl.run("label", "cm", "web-config", "-n", ns, "moved=on"));
    Path old = root.resolve(ns + "-stale.json");
    Files.writeString(old, stale.toString());
    Result conflict = kubectl.run("replace", "-f", old.toString());
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.stderr()).contains("Error from server (Conflict)")
        .contains("the object has been modified; please apply your changes to the latest version and try again");

    // delete -f removes everything the manifest made.
    assertThat(ok(kubectl.run("delete", "-f", manifest.toString())).stdout())
        .contains("deployment.apps \"web\" deleted", "service \"web\" deleted");
    Result gone = kubectl.run("get", "deploy", "web", "-n", ns);
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.stderr()).contains("Error from server (NotFound)")
        .contains("deployments.apps \"web\" not found");
  }

  private static String everyKind(String ns, String version, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %1$s}
        spec:
          replicas: %3$d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: web, image: "nginx:%2$s", ports: [{containerPort: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %1$s}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 80}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config, namespace: %1$s}
        data: {version: %2$s}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: %1$s}
        spec:
          rules:
          - host: web.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: cache, namespace: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: cache}}
          template:
            metadata: {labels: {app: cache}}
            spec: {containers: [{name: cache, image: redis}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: probe, namespace: %1$s}
        spec: {containers: [{name: probe, image: busybox}]}
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: manual, namespace: %1$s}
        subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 8080}]}]
        ---
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata: {name: lock, namespace: %1$s}
        spec: {holderIdentity: someone, leaseDurationSeconds: 15}
        """.formatted(ns, version, replicas);
  }

  private static String apiUrl(ClusterFile.ProcessEntry p) {
    return "http://127.0.0.1:" + p.port("api");
  }

  /** Whether the replica says it leads, from its own metrics (berth_raft_is_leader). */
  private static boolean isLeader(ClusterFile.ProcessEntry p) {
    try {
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + p.port("metrics") + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return metrics.body().lines().anyMatch(l -> l.startsWith("berth_raft_is_leader ") && l.endsWith(" 1.0"));
    } catch (Exception e) {
      return false;
    }
  }

  private static ClusterFile.ProcessEntry awaitLeader(List<ClusterFile.ProcessEntry> among) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ClusterFile.ProcessEntry p : among) {
        if (isLeader(p)) {
          return p;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no leader among " + among.size() + " replicas within 30 s");
  }

  /** Succeeded, and logged nothing: no discovery or OpenAPI fallbacks, no warnings. */
  private static Result ok(Result result) {
    assertThat(result.exitCode()).as("kubectl failed: %s", result.stderr()).isZero();
    assertThat(result.stderr()).isEmpty();
    return result;
  }
}
