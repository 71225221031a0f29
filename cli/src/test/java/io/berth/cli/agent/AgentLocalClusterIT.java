package io.berth.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.docker.DockerRuntime;
import io.berth.agent.runtime.process.ProcessRuntime;
import io.berth.cli.Main;
import io.berth.cli.kubectl.Kubectl;
import io.berth.cli.local.ClusterFile;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.controllers.testing.Eventually;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up --agents 2} end to end, with real processes: agents register on 127.0.1.1 and
 * 127.0.1.2, run a pod, serve its logs to {@code kubectl logs} and {@code kubectl logs -f} and run
 * {@code kubectl exec} through the API server, and an agent killed with SIGKILL and started again by {@code berth up}
 * leaves exactly the same containers running. On docker when an engine answers (with CI=true
 * one must), else on the process runtime.
 */
class AgentLocalClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @org.junit.jupiter.api.extension.RegisterExtension
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
  void agentsRunPodsServeLogsThroughTheApiAndAKilledAgentAdoptsItsContainers() throws Exception {
    Assumptions.assumeTrue(Kubectl.available(), "kubectl is not installed");
    String runtime = docker() ? "docker" : "process";
    if (docker()) {
      Process build = new ProcessBuilder(scripts().resolve("build-test-images.sh").toString()).inheritIO().start();
      assertThat(build.waitFor()).isZero();
    }
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "1", "--agents", "2", "--runtime", runtime,
        "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    assertThat(cluster.withRole("agent")).extracting(p -> p.address).containsExactly("127.0.1.1", "127.0.1.2");
    client = Client.builder().endpoints("http://127.0.0.1:" + cluster.withRole("server").get(0).port("api")).build();
    Eventually.await("both nodes Ready", WAIT, () -> client.resource(Resource.NODE).list().items().stream()
        .filter(n -> n.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
            && c.getStatus().equals("True"))).count() == 2);

    var pods = client.resource(Resource.POD).inNamespace("default");
    pods.create(new PodBuilder().withNewMetadata().withName("ticker").withNamespace("default").endMetadata()
        .withNewSpec().withNodeName("agent-1").addNewContainer().withName("main").withImage("berth/busybox:test")
        .withImagePullPolicy("Never").withCommand("sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.3; done")
        .endContainer().endSpec().build());
    Eventually.await("ticker running", WAIT, () -> pods.get("ticker").map(p -> "Running".equals(p.getStatus().getPhase()))
        .orElse(false));

    Kubectl kubectl = new Kubectl(dir.resolve("kubectl"), dir.resolve("kubeconfig"));
    Eventually.await("kubectl logs", WAIT, () -> {
      try {
        var result = kubectl.run("logs", "ticker", "--tail", "2");
        return result.exitCode() == 0 && result.stdout().lines().count() == 2 && result.stdout().startsWith("tick ");
      } catch (Exception e) {
        return false;
      }
    });
    try (Kubectl.Running follow = kubectl.start("logs", "-f", "ticker")) {
      assertThat(follow.awaitOutput("tick 1\n", Duration.ofSeconds(30))).isTrue();
      int seen = ticks(follow.output());
      // Following: lines written after kubectl started keep arriving.
      Eventually.await("more lines followed", Duration.ofSeconds(30), () -> ticks(outputOf(follow)) >= seen + 3);
    }

    // kubectl exec: a WebSocket stream through the API server to the agent; stdout, stderr and the exit code.
    var hello = kubectl.run("exec", "ticker", "--", "echo", "hello from exec");
    assertThat(hello.exitCode()).as(hello.stderr()).isZero();
    assertThat(hello.stdout()).isEqualTo("hello from exec\n");
    var failing = kubectl.run("exec", "ticker", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(failing.exitCode()).isEqualTo(3);
    assertThat(failing.stdout()).isEqualTo("out\n");
    assertThat(failing.stderr()).contains("err");

    Pod before = pods.get("ticker").orElseThrow();
    Set<String> containers = running("agent-1");
    ClusterFile.ProcessEntry agent1 = cluster.withRole("agent").get(0);
    ProcessHandle.of(agent1.pid).ifPresent(ProcessHandle::destroyForcibly);
    Eventually.await("agent-1 gone", WAIT, () -> ProcessHandle.of(agent1.pid).map(h -> !h.isAlive()).orElse(true));
    assertThat(Main.run("up", "--dir", dir.toString(), "--detach")).isZero();
    Thread.sleep(3000);
    assertThat(running("agent-1")).as("the same containers, none added, none killed").isEqualTo(containers);
    Pod after = pods.get("ticker").orElseThrow();
    assertThat(after.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    assertThat(after.getStatus().getContainerStatuses().get(0).getContainerID())
        .isEqualTo(before.getStatus().getContainerStatuses().get(0).getContainerID());
  }

  private static String outputOf(Kubectl.Running running) {
    try {
      return running.output();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static int ticks(String output) {
    return (int) output.lines().filter(l -> l.startsWith("tick ")).count();
  }

  private Set<String> running(String agent) {
    try (ContainerRuntime runtime = runtime(agent)) {
      return runtime.listContainers().stream().filter(ContainerInfo::running).map(ContainerInfo::id)
          .collect(Collectors.toSet());
    }
  }

  private ContainerRuntime runtime(String agent) {
    return docker() ? new DockerRuntime(DockerRuntime.DEFAULT_HOST, agent, "none")
        : new ProcessRuntime(dir.resolve("data").resolve(agent).resolve("process"), agent);
  }

  private static boolean docker() {
    return "true".equals(System.getenv("CI")) || DockerRuntime.reachable(DockerRuntime.DEFAULT_HOST);
  }

  private static Path scripts() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (d.resolve("scripts/build-test-images.sh").toFile().exists()) {
        return d.resolve("scripts");
      }
    }
    throw new IllegalStateException("scripts/ not found");
  }
}
