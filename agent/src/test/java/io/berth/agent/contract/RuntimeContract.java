package io.berth.agent.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.NodeAgent;
import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.testing.AgentHarness;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node agent's contract, written once and run against every runtime (one subclass each):
 * a real control plane in this JVM, a real agent on the runtime, pods created through the API,
 * outcomes read from the API. Every pod uses the same spec on both runtimes: busybox commands
 * run in {@code sh -c} (the image's on docker, the host's on the process runtime) with an
 * emptyDir at /data as the working directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RuntimeContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path tmp;
  private TestCluster cluster;
  private Client client;
  private NodeAgent agent;
  private ResourceClient<Pod> pods;
  private final String node = "contract-" + getClass().getSimpleName().toLowerCase().replace("runtimecontracttest", "");

  /** A fresh runtime for this node, over {@code dataDir} (the same dir again after an agent restart). */
  protected abstract ContainerRuntime runtime(String node, Path dataDir);

  /** The node address pods' ports are published on. */
  protected abstract String nodeAddress();

  /** The first of 100 node ports the agent may allocate. */
  protected abstract int portRangeFirst();

  /** Skips (or, where it must run, fails) the tests when the runtime is not available here. */
  protected void requireRuntime() throws Exception {}

  /** The image pods name (the process runtime ignores it). */
  protected String image() {
    return "berth/busybox:test";
  }

  @BeforeAll
  void startClusterAndAgent() throws Exception {
    requireRuntime();
    tmp = java.nio.file.Files.createTempDirectory("berth-agent-contract");
    cluster = TestCluster.start(tmp.resolve("cluster"), 1);
    client = cluster.client();
    pods = client.resource(Resource.POD).inNamespace("default");
    agent = startAgent();
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
      // Cleaned up with a runtime of its own once the agent's workers have stopped (they would start them again).
      try (ContainerRuntime cleanup = runtime(node, tmp.resolve("agent"))) {
        for (ContainerInfo c : cleanup.listContainers()) {
          cleanup.removeContainer(c.id());
        }
        cleanup.listSandboxes().forEach(s -> cleanup.removeSandbox(s.pod().uid()));
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private NodeAgent startAgent() throws Exception {
    Path data = tmp.resolve("agent");
    return AgentHarness.start(List.of(cluster.url(0)), node, nodeAddress(), data, () -> runtime(node, data),
        portRangeFirst());
  }

  // ---- the contract

  @Test
  void aPodRunsIsReadyAndReportsItsAddressAndPublishedPorts() throws Exception {
    Pod pod = create(pod("web").withContainers(server("web").build()).endSpec().build());
    Pod running = awaitPod(pod, "Running and Ready", p -> "Running".equals(phase(p)) && ready(p));
    assertThat(running.getStatus().getPodIP()).isEqualTo(nodeAddress());
    assertThat(running.getStatus().getHostIP()).isEqualTo(nodeAddress());
    String published = running.getMetadata().getAnnotations().get("berth.io/published-ports");
    assertThat(published).matches("\\{\"8080/TCP\":\\d+}");
    int port = io.berth.client.transport.Json.MAPPER.readTree(published).get("8080/TCP").asInt();
    assertThat(port).isBetween(portRangeFirst(), portRangeFirst() + 99);
    // The published port reaches the container's server. Without a readiness probe, Ready means
    // started, as in Kubernetes: httpd may need a moment more to listen (seen on a loaded CI box).
    assertThat(getOnceListening("http://" + nodeAddress() + ":" + port + "/index.html").body())
        .contains("hello from web");
    ContainerStatus status = running.getStatus().getContainerStatuses().get(0);
    assertThat(status.getState().getRunning()).isNotNull();
    assertThat(status.getRestartCount()).isZero();
    assertThat(conditions(running)).contains("PodScheduled=True", "Initialized=True", "ContainersReady=True",
        "Ready=True");
  }

  @Test
  void aFailingContainerIsRestartedWithGrowingBackoff() throws Exception {
    Pod pod = create(pod("crash").withContainers(shell("crash", "echo crashing; exit 3").build()).endSpec().build());
    Pod crashing = awaitPod(pod, "restarted twice and backing off",
        p -> restarts(p) >= 2 && "CrashLoopBackOff".equals(waitingReason(p)));
    ContainerStatus status = crashing.getStatus().getContainerStatuses().get(0);
    assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(phase(crashing)).isEqualTo("Running");
    // Back-off grows: from restart 2 to restart 4 takes at least 1 s + 2 s of back-off.
    long start = System.nanoTime();
    int from = restarts(crashing);
    awaitPod(pod, "two more restarts", p -> restarts(p) >= from + 2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void restartPolicyNeverLeavesAFailedPodFailedAndOnFailureCompletesASuccessfulOne() throws Exception {
    Pod failed = create(pod("never").withRestartPolicy("Never")
        .withContainers(shell("main", "exit 2").build()).endSpec().build());
    Pod done = create(pod("onfailure").withRestartPolicy("OnFailure")
        .withContainers(shell("main", "echo done").build()).endSpec().build());
    Pod f = awaitPod(failed, "Failed", p -> "Failed".equals(phase(p)));
    assertThat(f.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(2);
    assertThat(restarts(f)).isZero();
    Pod s = awaitPod(done, "Succeeded", p -> "Succeeded".equals(phase(p)));
    assertThat(s.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Completed");
    assertThat(conditions(s)).contains("Ready=False");
  }

  @Test
  void initContainersRunInOrderBeforeTheAppContainers() throws Exception {
    Pod pod = create(pod("init")
        .withInitContainers(shell("first", "echo one >> order").build(), shell("second", "echo two >> order").build())
        .withContainers(shell("app", "cat order; sleep 3600").build()).endSpec().build());
    awaitPod(pod, "Running", p -> "Running".equals(phase(p)));
    Pod running = pods.get("init").orElseThrow();
    assertThat(running.getStatus().getInitContainerStatuses()).allSatisfy(s ->
        assertThat(s.getState().getTerminated().getExitCode()).isZero());
    Eventually.await("the app's log", WAIT, () -> logs("init", "app", "").equals("one\ntwo\n"),
        () -> logs("init", "app", ""));
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() throws Exception {
    // Healthy for two seconds, then the file the probe checks is gone.
    // A short grace period: the liveness kill waits it out (sh as PID 1 in a container ignores SIGTERM).
    Pod pod = create(pod("live").withTerminationGracePeriodSeconds(2L)
        .withContainers(shell("main", "touch healthy; sleep 2; rm healthy; sleep 3600")
        .withLivenessProbe(new ProbeBuilder().withNewExec().withCommand("sh", "-c", "test -f healthy").endExec()
            .withPeriodSeconds(1).withFailureThreshold(2).build()).build()).endSpec().build());
    Pod restarted = awaitPod(pod, "restarted by its liveness probe", p -> restarts(p) >= 1);
    assertThat(restarted.getStatus().getContainerStatuses().get(0).getLastState().getTerminated()).isNotNull();
  }

  @Test
  void readinessFollowsTheProbe() throws Exception {
    Pod pod = create(pod("ready").withContainers(server("web")
        .withReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/ready").withPort(new IntOrString(8080))
            .endHttpGet().withPeriodSeconds(1).withFailureThreshold(1).build()).build()).endSpec().build());
    awaitPod(pod, "Ready", this::ready);
    String id = currentContainer(pod, "web");
    assertThat(agent.runtime().exec(id, List.of("sh", "-c", "rm www/ready"), Duration.ofSeconds(5)).exitCode())
        .isZero();
    awaitPod(pod, "not Ready once /ready is gone", p -> !ready(p) && "Running".equals(phase(p)));
    agent.runtime().exec(id, List.of("sh", "-c", "echo ok > www/ready"), Duration.ofSeconds(5));
    awaitPod(pod, "Ready again", this::ready);
    assertThat(restarts(pods.get("ready").orElseThrow())).isZero();
  }

  @Test
  void deletionSendsSigtermAndKillsAfterTheGracePeriod() throws Exception {
    Pod polite = create(pod("polite").withTerminationGracePeriodSeconds(30L).withContainers(
        shell("main", "trap 'echo got TERM; exit 0' TERM; while :; do sleep 0.2; done").build()).endSpec().build());
    Pod stubborn = create(pod("stubborn").withTerminationGracePeriodSeconds(3L).withContainers(
        shell("main", "trap '' TERM; while :; do sleep 0.2; done").build()).endSpec().build());
    awaitPod(polite, "Running", p -> "Running".equals(phase(p)));
    awaitPod(stubborn, "Running", p -> "Running".equals(phase(p)));

    long start = System.nanoTime();
    pods.delete("polite");
    awaitGone("polite");
    Duration politeTook = Duration.ofNanos(System.nanoTime() - start);
    assertThat(politeTook).as("a process that exits on SIGTERM is not waited for").isLessThan(Duration.ofSeconds(10));

    start = System.nanoTime();
    pods.delete("stubborn");
    Eventually.await("stubborn marked not ready while it terminates", WAIT, () ->
        pods.get("stubborn").map(p -> !ready(p)).orElse(true));
    awaitGone("stubborn");
    Duration stubbornTook = Duration.ofNanos(System.nanoTime() - start);
    assertThat(stubbornTook).as("one that ignores SIGTERM gets its grace period, then SIGKILL")
        .isBetween(Duration.ofMillis(2800), Duration.ofSeconds(15));
    assertThat(agent.runtime().containersOf(polite.getMetadata().getUid())).isEmpty();
    assertThat(agent.runtime().containersOf(stubborn.getMetadata().getUid())).isEmpty();
  }

  @Test
  void logsHonourTailLinesLimitBytesAndPrevious() throws Exception {
    Pod pod = create(pod("logs").withContainers(shell("main",
        "for i in 1 2 3 4 5; do echo line $i; done; test -f ran-once && sleep 3600; touch ran-once; exit 1").build())
        .endSpec().build());
    awaitPod(pod, "restarted once and running", p -> restarts(p) == 1 && "Running".equals(phase(p))
        && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null);
    Eventually.await("five lines", WAIT, () -> logs("logs", "main", "").lines().count() == 5);
    assertThat(logs("logs", "main", "?tailLines=2")).isEqualTo("line 4\nline 5\n");
    assertThat(logs("logs", "main", "?limitBytes=6")).isEqualTo("line 1");
    assertThat(logs("logs", "main", "?previous=true")).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\n");
    assertThat(get("http://" + nodeAddress() + ":" + agent.port() + "/containerLogs/default/logs/nosuch").statusCode())
        .isEqualTo(404);
  }

  @Test
  void aRestartedAgentAdoptsItsContainersAndRemovesThoseOfPodsDeletedMeanwhile() throws Exception {
    Pod kept = create(pod("kept").withContainers(shell("main", "sleep 3600").build()).endSpec().build());
    Pod dropped = create(pod("dropped").withContainers(shell("main", "sleep 3600").build()).endSpec().build());
    awaitPod(kept, "Running", p -> "Running".equals(phase(p)));
    awaitPod(dropped, "Running", p -> "Running".equals(phase(p)));
    Set<String> before = runningIds(kept);

    agent.close();
    // Force-deleted while no agent watches: nobody will terminate it gracefully.
    pods.delete("dropped", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build());
    agent = startAgent();

    Eventually.await("the dropped pod's containers removed", WAIT,
        () -> agent.runtime().containersOf(dropped.getMetadata().getUid()).isEmpty());
    Thread.sleep(2000);
    assertThat(runningIds(kept)).as("the same containers, neither duplicated nor restarted").isEqualTo(before);
    Pod after = pods.get("kept").orElseThrow();
    assertThat(restarts(after)).isZero();
    assertThat(ready(after)).isTrue();
  }

  // ---- helpers

  private Set<String> runningIds(Pod pod) {
    return agent.runtime().containersOf(pod.getMetadata().getUid()).stream().filter(ContainerInfo::running)
        .map(ContainerInfo::id).collect(Collectors.toSet());
  }

  private String currentContainer(Pod pod, String name) {
    return agent.runtime().containersOf(pod.getMetadata().getUid()).stream().filter(c -> c.name().equals(name))
        .filter(ContainerInfo::running).findFirst().orElseThrow().id();
  }

  private io.fabric8.kubernetes.api.model.PodFluent<PodBuilder>.SpecNested<PodBuilder> pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withNodeName(node).addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume();
  }

  private ContainerBuilder shell(String name, String script) {
    return new ContainerBuilder().withName(name).withImage(image()).withImagePullPolicy("Never")
        .withCommand("sh", "-c", script).withWorkingDir("/data")
        .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount();
  }

  /** busybox httpd on 8080 (PORT on the process runtime) serving www/, with index.html and ready. */
  private ContainerBuilder server(String name) {
    return shell(name, "mkdir -p www; echo hello from " + name + " > www/index.html; echo ok > www/ready; "
        + "exec busybox httpd -f -p ${PORT:-8080} -h www").addNewPort().withContainerPort(8080).withName("http")
        .endPort();
  }

  private Pod create(Pod pod) {
    return pods.create(pod);
  }

  private Pod awaitPod(Pod pod, String what, java.util.function.Predicate<Pod> condition) throws InterruptedException {
    String name = pod.getMetadata().getName();
    Eventually.await(name + " " + what, WAIT, () -> pods.get(name).map(condition::test).orElse(false),
        () -> pods.get(name).map(p -> p.getStatus()).map(Object::toString).orElse("gone"));
    return pods.get(name).orElseThrow();
  }

  private void awaitGone(String name) throws InterruptedException {
    Eventually.await(name + " deleted", WAIT, () -> pods.get(name).isEmpty());
  }

  private String logs(String pod, String container, String query) {
    return get("http://" + nodeAddress() + ":" + agent.port() + "/containerLogs/default/" + pod + "/" + container
        + query).body();
  }

  /** GET, retrying refused connections for a few seconds. */
  private static HttpResponse<String> getOnceListening(String url) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return get(url);
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof java.net.ConnectException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static HttpResponse<String> get(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + ": " + e, e);
    }
  }

  static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  boolean ready(Pod p) {
    return conditions(p).contains("Ready=True");
  }

  static List<String> conditions(Pod p) {
    return p.getStatus() == null || p.getStatus().getConditions() == null ? List.of()
        : p.getStatus().getConditions().stream().map(c -> c.getType() + "=" + c.getStatus()).toList();
  }

  static int restarts(Pod p) {
    return p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        || p.getStatus().getContainerStatuses().isEmpty() ? 0
        : p.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  static String waitingReason(Pod p) {
    return Optional.ofNullable(p.getStatus()).map(s -> s.getContainerStatuses()).filter(l -> !l.isEmpty())
        .map(l -> l.get(0).getState().getWaiting()).map(w -> w.getReason()).orElse(null);
  }

  static String uniqueSuffix() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}
