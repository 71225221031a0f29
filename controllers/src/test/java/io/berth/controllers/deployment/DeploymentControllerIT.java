package io.berth.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.replicaset.ReplicaSetController;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.TestCluster;
import io.berth.controllers.testing.TestNodeAgent;
import io.berth.controllers.workload.PodState;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Deployment and ReplicaSet controllers together on a real 3-replica cluster, with a
 * test agent that makes pods ready 300 ms after they are bound.
 */
class DeploymentControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int REPLICAS = 4;
  private static final int MAX_SURGE = 1;
  private static final int MAX_UNAVAILABLE = 1;
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Client client;
  static SharedInformers informers;
  static ControllerManager manager;
  static TestNodeAgent agent;
  static ResourceClient<Deployment> deployments;
  static ResourceClient<ReplicaSet> replicaSets;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = cluster.client();
    informers = new SharedInformers(client);
    manager = ControllerManager.builder(informers).controller(new ReplicaSetController(informers))
        .controller(new DeploymentController(informers)).registry(new PrometheusRegistry()).build();
    informers.start();
    manager.start(client);
    agent = new TestNodeAgent(client, "fake-node", Duration.ofMillis(300)).start();
    deployments = client.resource(Resource.DEPLOYMENT).inNamespace("default");
    replicaSets = client.resource(Resource.REPLICA_SET).inNamespace("default");
  }

  @AfterAll
  static void stop() {
    agent.close();
    manager.stop();
    informers.close();
    cluster.close();
  }

  @Test
  void aRollingUpdateKeepsItsBoundsAtEveryPodChangeAndARollbackReusesTheOldReplicaSet() throws Exception {
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicBoolean settled = new AtomicBoolean();
    AtomicInteger observed = new AtomicInteger();
    AtomicReference<Informer<Pod>> watcherRef = new AtomicReference<>();
    Runnable check = () -> {
      List<Pod> pods = watcherRef.get().cache().list();
      long active = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
      long ready = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .filter(PodState::isReady).count();
      observed.incrementAndGet();
      if (active > REPLICAS + MAX_SURGE) {
        violations.add(active + " pods at once: " + names(pods));
      }
      if (settled.get() && ready < REPLICAS - MAX_UNAVAILABLE) {
        violations.add("only " + ready + " ready: " + names(pods));
      }
    };
    Informer<Pod> watcher = Informer.builder(client.resource(Resource.POD).inNamespace("default"))
        .labelSelector("app=roll").handler(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            check.run();
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            check.run();
          }

          @Override
          public void onDelete(Pod pod) {
            check.run();
          }
        }).build();
    watcherRef.set(watcher);
    try (watcher) {
      watcher.start();
      deployments.create(deployment("nginx:1"));
      awaitComplete();
      String firstRs = newReplicaSetName();
      settled.set(true);

      setImage("nginx:2");
      awaitComplete();
      String secondRs = newReplicaSetName();
      assertThat(secondRs).isNotEqualTo(firstRs);
      assertThat(replicaSets.get(firstRs).orElseThrow().getSpec().getReplicas()).isZero();
      assertThat(revision(replicaSets.get(firstRs).orElseThrow())).isEqualTo("1");
      assertThat(revision(replicaSets.get(secondRs).orElseThrow())).isEqualTo("2");
      assertThat(revision(deployments.get("roll").orElseThrow())).isEqualTo("2");
      kubectlRolloutStatusSucceeds();

      // kubectl rollout undo (1.32) puts the previous ReplicaSet's template back; so do we.
      setImage("nginx:1");
      awaitComplete();
      assertThat(newReplicaSetName()).as("the old ReplicaSet is reused").isEqualTo(firstRs);
      ReplicaSet reused = replicaSets.get(firstRs).orElseThrow();
      assertThat(revision(reused)).isEqualTo("3");
      assertThat(reused.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION_HISTORY, "1");
      assertThat(revision(deployments.get("roll").orElseThrow())).isEqualTo("3");
      assertThat(replicaSets.list(ListOptions.ALL.withLabelSelector("app=roll")).items()).hasSize(2);
    }

    assertThat(observed.get()).as("pod changes watched").isGreaterThan(20);
    assertThat(violations).isEmpty();
    Deployment done = deployments.get("roll").orElseThrow();
    assertThat(condition(done, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(condition(done, "Available").getStatus()).isEqualTo("True");
  }

  private static Deployment deployment(String image) {
    Map<String, String> labels = Map.of("app", "roll");
    return new DeploymentBuilder().withNewMetadata().withName("roll").withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(REPLICAS).withNewSelector().withMatchLabels(labels).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString(MAX_SURGE)).withMaxUnavailable(new IntOrString(MAX_UNAVAILABLE))
        .endRollingUpdate().endStrategy()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private static void setImage(String image) {
    Deployment current = deployments.get("roll").orElseThrow();
    deployments.update(new DeploymentBuilder(current).editSpec().editTemplate().editSpec().editFirstContainer()
        .withImage(image).endContainer().endSpec().endTemplate().endSpec().build());
  }

  /** What kubectl rollout status waits for. */
  private static void awaitComplete() throws InterruptedException {
    Eventually.await("the rollout complete", WAIT, () -> {
      Deployment d = deployments.get("roll").orElseThrow();
      return d.getStatus() != null && d.getStatus().getObservedGeneration() != null
          && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
          && d.getStatus().getUpdatedReplicas() == REPLICAS && d.getStatus().getReplicas() == REPLICAS
          && d.getStatus().getAvailableReplicas() == REPLICAS;
    }, () -> deployments.get("roll").map(Deployment::getStatus).orElse(null));
  }

  private static String newReplicaSetName() {
    Deployment d = deployments.get("roll").orElseThrow();
    return replicaSets.list(ListOptions.ALL.withLabelSelector("app=roll")).items().stream()
        .filter(rs -> Templates.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
        .map(rs -> rs.getMetadata().getName()).findFirst().orElseThrow();
  }

  private static void kubectlRolloutStatusSucceeds() throws IOException, InterruptedException {
    Path kubectl = Path.of("/usr/bin/kubectl");
    if (!Files.isExecutable(kubectl)) {
      return;
    }
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: berth, cluster: {server: "%s"}}]
        users: [{name: dev, user: {}}]
        contexts: [{name: berth, context: {cluster: berth, user: dev, namespace: default}}]
        current-context: berth
        """.formatted(cluster.url(0)));
    Process process = new ProcessBuilder(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString(), "rollout", "status", "deployment/roll",
        "--timeout=30s").redirectErrorStream(true).start();
    assertThat(process.waitFor(40, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("successfully rolled out");
  }

  private static String revision(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return object.getMetadata().getAnnotations().get(Revisions.REVISION);
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName() + (p.getMetadata().getDeletionTimestamp() != null
        ? "(terminating)" : PodState.isReady(p) ? "(ready)" : "")).toList();
  }
}
