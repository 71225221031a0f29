package io.berth.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.NodeAgent;
import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.docker.DockerRuntime;
import io.berth.agent.testing.AgentHarness;
import io.berth.agent.testing.ControlPlane;
import io.berth.agent.testing.DockerEngine;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.controllers.testing.Eventually;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent end to end on the real Docker engine: a control plane (store, API, controllers,
 * scheduler) in this JVM and two agents, each on its own loopback node address, running the
 * locally built test image. With CI=true these tests must run (no engine fails them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> ADDRESSES = List.of("127.0.1.221", "127.0.1.222");

  private Path tmp;
  private ControlPlane plane;
  private Client client;
  private final NodeAgent[] agents = new NodeAgent[2];
  private ResourceClient<Pod> pods;

  @BeforeAll
  void start() throws Exception {
    DockerEngine.require();
    tmp = Files.createTempDirectory("berth-docker-cluster");
    plane = ControlPlane.start(tmp.resolve("plane"));
    client = plane.client();
    pods = client.resource(Resource.POD).inNamespace("default");
    for (int i = 0; i < 2; i++) {
      agents[i] = startAgent(i);
    }
  }

  private NodeAgent startAgent(int i) throws Exception {
    String node = "docker-node-" + (i + 1);
    Path data = tmp.resolve(node);
    return AgentHarness.start(List.of(plane.url()), node, ADDRESSES.get(i), data,
        () -> new DockerRuntime(DockerRuntime.DEFAULT_HOST, node, "berth/busybox:test"), 43000 + 100 * i);
  }

  @AfterAll
  void stop() {
    for (int i = 0; i < 2; i++) {
      if (agents[i] != null) {
        agents[i].close();
        try (DockerRuntime cleanup = new DockerRuntime(DockerRuntime.DEFAULT_HOST, "docker-node-" + (i + 1), "none")) {
          cleanup.listContainers().forEach(c -> cleanup.removeContainer(c.id()));
          cleanup.listSandboxes().forEach(s -> cleanup.removeSandbox(s.pod().uid()));
        }
      }
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aDeploymentRunsOnBothAgentsRestartsKilledContainersAndFollowsReadinessInEndpoints() throws Exception {
    client.resource(Resource.DEPLOYMENT).inNamespace("default").create(new DeploymentBuilder().withNewMetadata()
        .withName("web").withNamespace("default").endMetadata().withNewSpec().withReplicas(3)
        .withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
        .addNewContainer().withName("web").withImage("berth/testserver:test").withImagePullPolicy("IfNotPresent")
        .addNewPort().withContainerPort(8080).withName("http").endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()
        .endContainer().endSpec().endTemplate().endSpec().build());
    client.resource(Resource.SERVICE).inNamespace("default").create(new ServiceBuilder().withNewMetadata()
        .withName("web").withNamespace("default").endMetadata().withNewSpec().addToSelector("app", "web")
        .addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build());

    Eventually.await("3 web pods Running and Ready", WAIT, () -> webPods().size() == 3
        && webPods().stream().allMatch(p -> "Running".equals(p.getStatus().getPhase()) && ready(p)),
        () -> webPods().stream().map(p -> p.getMetadata().getName() + " " + p.getSpec().getNodeName() + " "
            + p.getStatus().getPhase()).toList());
    Set<String> nodes = webPods().stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
    assertThat(nodes).as("the scheduler spreads the replicas over both agents").hasSize(2);

    // Endpoints: each ready pod at its node address and published port, and each answers there.
    Eventually.await("3 ready endpoints", WAIT, () -> readyAddresses().size() == 3, this::readyAddresses);
    Endpoints endpoints = client.resource(Resource.ENDPOINTS).inNamespace("default").get("web").orElseThrow();
    int port = endpoints.getSubsets().get(0).getPorts().get(0).getPort();
    for (EndpointAddress address : endpoints.getSubsets().get(0).getAddresses()) {
      assertThat(ADDRESSES).contains(address.getIp());
    }
    for (Pod p : webPods()) {
      int published = Integer.parseInt(p.getMetadata().getAnnotations().get("berth.io/published-ports")
          .replaceAll("[^0-9:]", "").split(":")[1]);
      assertThat(get("http://" + p.getStatus().getPodIP() + ":" + published + "/index.html"))
          .contains("hello from berth/testserver");
    }
    assertThat(port).isPositive();

    // Readiness toggled off in one pod: Endpoints drop it; on again: it comes back.
    Pod first = webPods().get(0);
    NodeAgent owner = agentOf(first);
    String id = running(owner, first, "web").id();
    owner.runtime().exec(id, List.of("rm", "/www/ready"), Duration.ofSeconds(5));
    Eventually.await("2 ready endpoints", WAIT, () -> readyAddresses().size() == 2, this::readyAddresses);
    owner.runtime().exec(id, List.of("sh", "-c", "echo ok > /www/ready"), Duration.ofSeconds(5));
    Eventually.await("3 ready endpoints again", WAIT, () -> readyAddresses().size() == 3, this::readyAddresses);

    // A container killed behind the agent's back is restarted in the same pod.
    Process kill = new ProcessBuilder("docker", "kill", id).redirectErrorStream(true).start();
    assertThat(kill.waitFor()).isZero();
    String name = first.getMetadata().getName();
    Eventually.await(name + " restarted and ready", WAIT, () -> pods.get(name).map(p ->
        p.getStatus().getContainerStatuses().get(0).getRestartCount() == 1 && ready(p)).orElse(false));
    assertThat(running(owner, pods.get(name).orElseThrow(), "web").id()).isNotEqualTo(id);

    // What happened is in the pod's Events, as kubectl describe shows them.
    Eventually.await("the pod's events", WAIT, () -> eventsOf(name).keySet().containsAll(
        List.of("Pulled", "Created", "Started", "Unhealthy")), () -> eventsOf(name));
    Eventually.await("Started counted twice (the first start and the restart)", WAIT,
        () -> eventsOf(name).get("Started").getCount() == 2, () -> eventsOf(name));
    Map<String, io.fabric8.kubernetes.api.model.Event> events = eventsOf(name);
    assertThat(events.get("Pulled").getMessage()).isEqualTo("Container image \"berth/testserver:test\" already present on machine");
    assertThat(events.get("Started").getMessage()).isEqualTo("Started container web");
    assertThat(events.get("Unhealthy").getType()).isEqualTo("Warning");
    assertThat(events.get("Unhealthy").getMessage()).startsWith("Readiness probe failed: ");
    assertThat(events.get("Started").getSource().getComponent()).isEqualTo("berth-agent");
  }

  /** The Events about one pod, by reason. */
  private Map<String, io.fabric8.kubernetes.api.model.Event> eventsOf(String pod) {
    Map<String, io.fabric8.kubernetes.api.model.Event> byReason = new java.util.TreeMap<>();
    client.resource(Resource.EVENT).inNamespace("default").list().items().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName())).forEach(e -> byReason.put(e.getReason(), e));
    return byReason;
  }

  @Test
  void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
    pods.create(new PodBuilder().withNewMetadata().withName("hog").withNamespace("default").endMetadata()
        .withNewSpec().withNodeName("docker-node-1").withRestartPolicy("Never").addNewContainer().withName("hog")
        .withImage("berth/busybox:test").withImagePullPolicy("Never")
        // Doubles a string until the 16Mi limit is hit.
        .withCommand("sh", "-c", "x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done")
        .withNewResources().addToLimits("memory", new Quantity("16Mi")).addToLimits("cpu", new Quantity("500m"))
        .endResources().endContainer().endSpec().build());
    Eventually.await("hog OOMKilled", WAIT, () -> pods.get("hog").map(p -> "Failed".equals(p.getStatus().getPhase())
        && "OOMKilled".equals(p.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason()))
        .orElse(false), () -> pods.get("hog").map(Pod::getStatus).orElse(null));
  }

  @Test
  void aConfigMapChangeShowsUpInTheMountedFileAndEnvIsResolved() throws Exception {
    var maps = client.resource(Resource.CONFIG_MAP).inNamespace("default");
    maps.create(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("default").endMetadata()
        .addToData("greeting", "hello").build());
    pods.create(new PodBuilder().withNewMetadata().withName("reader").withNamespace("default").endMetadata()
        .withNewSpec().withNodeName("docker-node-2").addNewContainer().withName("reader")
        .withImage("berth/busybox:test").withImagePullPolicy("Never").withCommand("sh", "-c", "sleep 3600")
        .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "settings", false)
        .endValueFrom().endEnv()
        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
        .endFieldRef().endValueFrom().endEnv()
        .addNewVolumeMount().withName("config").withMountPath("/config").endVolumeMount().endContainer()
        .addNewVolume().withName("config").withNewConfigMap().withName("settings").endConfigMap().endVolume()
        .endSpec().build());
    Eventually.await("reader running", WAIT, () -> pods.get("reader").map(p -> "Running".equals(p.getStatus().getPhase()))
        .orElse(false));
    Pod reader = pods.get("reader").orElseThrow();
    String id = running(agents[1], reader, "reader").id();
    assertThat(agents[1].runtime().exec(id, List.of("sh", "-c", "echo $GREETING $POD_NAME; cat /config/greeting"),
        Duration.ofSeconds(5)).stdout()).isEqualTo("hello reader\nhello");
    maps.update(new ConfigMapBuilder(maps.get("settings").orElseThrow()).addToData("greeting", "bonjour").build());
    Eventually.await("the mounted file updated", WAIT, () -> agents[1].runtime().exec(id,
        List.of("cat", "/config/greeting"), Duration.ofSeconds(5)).stdout().equals("bonjour"));
  }

  @Test
  void killingAnAgentAndStartingItAgainLeavesExactlyTheSameContainers() throws Exception {
    pods.create(new PodBuilder().withNewMetadata().withName("steady").withNamespace("default").endMetadata()
        .withNewSpec().withNodeName("docker-node-2").addNewContainer().withName("main")
        .withImage("berth/busybox:test").withImagePullPolicy("Never").withCommand("sleep", "3600").endContainer()
        .endSpec().build());
    Eventually.await("steady running", WAIT, () -> pods.get("steady").map(p -> "Running".equals(p.getStatus().getPhase()))
        .orElse(false));
    Set<String> before = allContainerIds(agents[1]);
    agents[1].close();
    agents[1] = startAgent(1);
    Thread.sleep(3000);
    assertThat(allContainerIds(agents[1])).isEqualTo(before);
    assertThat(pods.get("steady").orElseThrow().getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
  }

  // ---- helpers

  private Set<String> allContainerIds(NodeAgent agent) {
    return agent.runtime().listContainers().stream().filter(ContainerInfo::running).map(ContainerInfo::id)
        .collect(Collectors.toSet());
  }

  private NodeAgent agentOf(Pod pod) {
    return pod.getSpec().getNodeName().equals("docker-node-1") ? agents[0] : agents[1];
  }

  private static ContainerInfo running(NodeAgent agent, Pod pod, String name) {
    return agent.runtime().containersOf(pod.getMetadata().getUid()).stream()
        .filter(c -> c.name().equals(name) && c.running()).findFirst().orElseThrow();
  }

  private List<Pod> webPods() {
    return client.resource(Resource.POD).inNamespace("default").list(
        io.berth.client.ListOptions.ALL.withLabelSelector("app=web")).items().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private List<String> readyAddresses() {
    return client.resource(Resource.ENDPOINTS).inNamespace("default").get("web")
        .map(e -> e.getSubsets() == null ? List.<String>of() : e.getSubsets().stream()
            .flatMap(s -> s.getAddresses() == null ? java.util.stream.Stream.empty() : s.getAddresses().stream()
                .map(a -> a.getIp() + ":" + s.getPorts().get(0).getPort())).toList())
        .orElse(List.of());
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
