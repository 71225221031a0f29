package io.berth.cli.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.docker.DockerRuntime;
import io.berth.cli.Main;
import io.berth.cli.kubectl.Kubectl;
import io.berth.cli.local.ClusterFile;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.testing.Eventually;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingress in front of real Docker containers, on {@code berth up --agents 2 --runtime docker}
 * with everything applied by kubectl: routing by host and by path, TLS for two hosts chosen by
 * SNI from kubernetes.io/tls Secrets, a WebSocket echo served by a pod, Endpoints following pods
 * that die and come back, and zero failed requests under continuous traffic while the
 * Deployment rolls to a new version, one of its pods is deleted and one is killed with SIGKILL.
 * The manifest has no preStop sleep: the agent's termination order (not ready, wait for the
 * Endpoints to drop the pod, SIGTERM) and the ingress' retries are what keep every request.
 */
class IngressOnDockerIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dir;

  @RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);

  private Client client;

  @AfterEach
  void down() {
    if (client != null) {
      client.close();
    }
    Main.run("down", "--dir", dir.toString(), "--delete-workloads");
  }

  @Test
  void routesTerminatesTlsRelaysWebSocketsAndLosesNoRequestWhileTheBackendRollsAndPodsDie() throws Exception {
    Assumptions.assumeTrue(Kubectl.available(), "kubectl is not installed");
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(ci || DockerRuntime.reachable(DockerRuntime.DEFAULT_HOST), "no Docker engine");
    Process build = new ProcessBuilder(repo().resolve("scripts/build-test-images.sh").toString()).inheritIO().start();
    assertThat(build.waitFor()).isZero();
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "1", "--agents", "2", "--runtime", "docker",
        "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    client = Client.builder().endpoints("http://127.0.0.1:" + cluster.withRole("server").get(0).port("api")).build();
    Kubectl kubectl = new Kubectl(dir, dir.resolve("kubeconfig"));
    HostedHttp http = new HostedHttp("127.0.0.1", cluster.withRole("ingress").get(0).port("http"));
    int httpsPort = cluster.withRole("ingress").get(0).port("https");

    SelfSignedCertificate a = SelfSignedCertificate.create(dir, "a.example.test");
    SelfSignedCertificate b = SelfSignedCertificate.create(dir, "b.example.test");
    Path manifest = dir.resolve("app.yaml");
    Files.writeString(manifest, Manifests.app(repo(), a, b));
    Kubectl.Result applied = kubectl.run("apply", "-f", manifest.toString());
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    Kubectl.Result rolledOut = kubectl.run("rollout", "status", "deployment/web", "--timeout=180s");
    assertThat(rolledOut.exitCode()).as(rolledOut.stdout() + rolledOut.stderr()).isZero();
    Eventually.await("3 ready web endpoints", WAIT, () -> readyPods("web").size() == 3);

    // By host and path: "/" on www goes to web, "/ws" to the echo pod (a plain GET there is its 400).
    Eventually.await("web through the ingress", WAIT, () -> http.get("www.example.test", "/").status() == 200);
    assertThat(http.get("www.example.test", "/").body()).startsWith("v1 web-");
    Eventually.await("the echo pod through the ingress", WAIT,
        () -> http.get("www.example.test", "/ws").status() == 400);
    assertThat(http.get("nobody.example.test", "/").status()).isEqualTo(404);
    try (HostedHttp.Connection connection = http.open()) {
      assertThat(connection.post("www.example.test", "/cgi-bin/post", "hello").body()).startsWith("posted v1 web-");
    }

    // TLS: each host gets its own certificate by SNI, and the page behind it.
    for (SelfSignedCertificate cert : List.of(a, b)) {
      Eventually.await("TLS for " + cert.host(), WAIT, () -> {
        try {
          return cert.host().equals(SniClient.get(httpsPort, cert, "/").certificateHost());
        } catch (java.io.IOException e) {
          return false;
        }
      });
      SniClient.Answer answer = SniClient.get(httpsPort, cert, "/");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).startsWith("v1 web-");
    }

    // WebSocket: an upgrade through the ingress to the echo pod and messages both ways. The
    // Ingress' rule for "/ws" has no host, so the JDK's client (which sets Host itself) reaches it.
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + http.port() + "/ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.add(data.toString());
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
          }
        }).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      socket.sendText("hello " + i, true).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).matches("echo from echo-[a-z0-9-]+: hello " + i);
    }
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

    // Traffic from here on, and every Endpoints change recorded.
    List<Set<String>> webEndpoints = new CopyOnWriteArrayList<>();
    try (Informer<Endpoints> endpoints = Informer.builder(client.resource(Resource.ENDPOINTS).inNamespace("default"))
            .handler(new ResourceEventHandler<>() {
              @Override
              public void onUpdate(Endpoints oldObject, Endpoints newObject) {
                if (newObject.getMetadata().getName().equals("web")) {
                  webEndpoints.add(readyUids(newObject));
                }
              }
            }).build();
        Traffic gets = Traffic.gets(http, "www.example.test", "/", 3, Duration.ofMinutes(5))) {
      endpoints.start();
      endpoints.awaitSynced(Duration.ofSeconds(30));

      // A pod killed with SIGKILL: its container restarts; meanwhile Endpoints drop it.
      phase("kill");
      Pod victim = readyPods("web").get(0);
      String containerId = victim.getStatus().getContainerStatuses().get(0).getContainerID().replace("docker://", "");
      Process kill = new ProcessBuilder("docker", "kill", "--signal", "KILL", containerId).inheritIO().start();
      assertThat(kill.waitFor()).isZero();
      String victimUid = victim.getMetadata().getUid();
      Eventually.await("the killed pod restarted and ready again", WAIT, () -> client.resource(Resource.POD)
          .inNamespace("default").get(victim.getMetadata().getName())
          .map(p -> p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 1
              && Boolean.TRUE.equals(p.getStatus().getContainerStatuses().get(0).getReady()))
          .orElse(false));
      Eventually.await("the killed pod back in the Endpoints", WAIT, () -> endpoints.cache().get("default", "web")
          .map(e -> readyUids(e).contains(victimUid)).orElse(false));
      assertThat(webEndpoints).as("the Endpoints dropped the killed pod while it was down")
          .anyMatch(ready -> !ready.contains(victimUid));

      // From here on POSTs too, which the ingress must not retry once sent: only the agent's
      // termination order (out of the Endpoints and the routers before SIGTERM) keeps them whole.
      Traffic posts = Traffic.posts(http, "www.example.test", "/cgi-bin/post", 2, Duration.ofMinutes(5));

      // A pod deleted: it leaves the Endpoints for good and its replacement joins.
      phase("delete");
      Pod deleted = readyPods("web").get(1);
      Kubectl.Result delete = kubectl.run("delete", "pod", deleted.getMetadata().getName(), "--wait=false");
      assertThat(delete.exitCode()).as(delete.stderr()).isZero();
      Eventually.await("the deleted pod replaced in the Endpoints", WAIT, () -> {
        Set<String> ready = readyPods("web").stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        Set<String> listed = endpoints.cache().get("default", "web").map(e -> readyUids(e)).orElse(Set.of());
        return ready.size() == 3 && !listed.contains(deleted.getMetadata().getUid()) && listed.equals(ready);
      });

      // A rolling update to v2 under the same traffic.
      phase("rollout");
      Kubectl.Result rolled = kubectl.run("set", "env", "deployment/web", "VERSION=v2");
      assertThat(rolled.exitCode()).as(rolled.stderr()).isZero();
      Kubectl.Result done = kubectl.run("rollout", "status", "deployment/web", "--timeout=240s");
      assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
      Eventually.await("only v2 answers", WAIT, () -> http.get("www.example.test", "/").body().startsWith("v2 "));
      Thread.sleep(2000);

      Traffic.Result got = gets.stop();
      Traffic.Result posted = posts.stop();
      System.out.printf("IngressOnDockerIT: %d GETs during a kill, a delete and a rollout (%d failed), %d POSTs during"
          + " the delete and the rollout (%d failed)%n", got.requests(), got.failures().size(), posted.requests(),
          posted.failures().size());
      assertThat(got.failures()).as("failed GETs through the ingress").isEmpty();
      assertThat(posted.failures()).as("failed POSTs through the ingress").isEmpty();
      assertThat(got.bodies()).as("both versions served").anyMatch(body -> body.startsWith("v1 "))
          .anyMatch(body -> body.startsWith("v2 "));
      assertThat(posted.bodies()).as("both versions posted to").anyMatch(body -> body.startsWith("posted v1 "))
          .anyMatch(body -> body.startsWith("posted v2 "));
      assertThat(got.requests()).as("GETs sent").isGreaterThan(200);
      assertThat(posted.requests()).as("POSTs sent").isGreaterThan(100);
    }
  }

  /** Marks the start of a phase in the output, to place failed requests' timestamps. */
  private static void phase(String name) {
    System.out.printf("IngressOnDockerIT: %s phase from %s%n", name, java.time.Instant.now());
  }

  private List<Pod> readyPods(String app) {
    return client.resource(Resource.POD).inNamespace("default").list(io.berth.client.ListOptions.ALL.withLabelSelector("app=" + app)).items().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
            .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .toList();
  }

  private static Set<String> readyUids(Endpoints endpoints) {
    return endpoints.getSubsets() == null ? Set.of() : endpoints.getSubsets().stream()
        .map(EndpointSubset::getAddresses).filter(a -> a != null).flatMap(List::stream)
        .map(EndpointAddress::getTargetRef).filter(r -> r != null).map(r -> r.getUid()).collect(Collectors.toSet());
  }

  static Path repo() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (d.resolve("scripts/build-test-images.sh").toFile().exists()) {
        return d;
      }
    }
    throw new IllegalStateException("the repository's root was not found");
  }
}
