package io.berth.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.TestCluster;
import io.berth.controllers.testing.TestNodeAgent;
import io.berth.controllers.workload.OwnerRefs;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ReplicaSet controller on a real 3-replica cluster, with a test agent running the pods. */
class ReplicaSetControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Client client;
  static SharedInformers informers;
  static ControllerManager manager;
  static TestNodeAgent agent;
  static ResourceClient<ReplicaSet> replicaSets;
  static ResourceClient<Pod> pods;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = cluster.client();
    informers = new SharedInformers(client);
    manager = ControllerManager.builder(informers).controller(new ReplicaSetController(informers))
        .registry(new PrometheusRegistry()).build();
    informers.start();
    manager.start(client);
    agent = new TestNodeAgent(client, "fake-node", Duration.ofMillis(200)).start();
    replicaSets = client.resource(Resource.REPLICA_SET).inNamespace("default");
    pods = client.resource(Resource.POD).inNamespace("default");
  }

  @AfterAll
  static void stop() {
    agent.close();
    manager.stop();
    informers.close();
    cluster.close();
  }

  @Test
  void scalingUpCreatesExactlyTheMissingPodsAndScalingDownDeletesTheSurplus() throws Exception {
    Set<String> everCreated = ConcurrentHashMap.newKeySet();
    try (Informer<Pod> watcher = Informer.builder(pods).labelSelector("app=scale").handler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        everCreated.add(pod.getMetadata().getName());
      }
    }).build()) {
      watcher.start();
      replicaSets.create(replicaSet("scale", 3));
      awaitStatus("scale", 3);
      setReplicas("scale", 6);
      awaitStatus("scale", 6);

      assertThat(everCreated).as("no pod beyond the 6 asked for, however slow the watch").hasSize(6);
      for (Pod pod : activePods("app=scale")) {
        OwnerReference ref = OwnerRefs.controllerOf(pod).orElseThrow();
        assertThat(ref.getKind()).isEqualTo("ReplicaSet");
        assertThat(ref.getName()).isEqualTo("scale");
        assertThat(ref.getBlockOwnerDeletion()).isTrue();
      }

      setReplicas("scale", 1);
      awaitStatus("scale", 1);
      Eventually.await("the surplus pods gone", WAIT, () -> pods.list(ListOptions.ALL.withLabelSelector("app=scale"))
          .items().size() == 1);
    }
    ReplicaSet scaled = replicaSets.get("scale").orElseThrow();
    assertThat(scaled.getStatus().getObservedGeneration()).isEqualTo(scaled.getMetadata().getGeneration());
    assertThat(scaled.getStatus().getFullyLabeledReplicas()).isEqualTo(1);
    List<Event> events = client.resource(Resource.EVENT).inNamespace("default")
        .list(ListOptions.ALL.withFieldSelector("involvedObject.name=scale")).items();
    assertThat(events).extracting(Event::getReason).contains("SuccessfulCreate", "SuccessfulDelete");
  }

  @Test
  void anOrphanMatchingTheSelectorIsAdoptedInsteadOfCreatingAnother() throws Exception {
    pods.create(new PodBuilder().withNewMetadata().withName("stray").withNamespace("default")
        .withLabels(Map.of("app", "adopt")).endMetadata().withNewSpec().addNewContainer().withName("app")
        .withImage("nginx:1").endContainer().endSpec().build());

    replicaSets.create(replicaSet("adopt", 2));
    awaitStatus("adopt", 2);

    Pod stray = pods.get("stray").orElseThrow();
    assertThat(OwnerRefs.controllerOf(stray).map(OwnerReference::getName)).contains("adopt");
    assertThat(activePods("app=adopt")).hasSize(2);
  }

  @Test
  void aPodRelabelledOutOfTheSelectorIsReleasedAndReplaced() throws Exception {
    replicaSets.create(replicaSet("release", 2));
    awaitStatus("release", 2);
    Pod leaving = activePods("app=release").get(0);

    pods.update(new PodBuilder(leaving).editMetadata().addToLabels("app", "debugging").endMetadata().build());

    Eventually.await("the relabelled pod released", WAIT,
        () -> OwnerRefs.controllerOf(pods.get(leaving.getMetadata().getName()).orElseThrow()).isEmpty());
    // The status may still say 2 from before the release: wait for the replacement itself.
    Eventually.await("a replacement for the released pod", WAIT, () -> activePods("app=release").size() == 2);
    awaitStatus("release", 2);
    assertThat(activePods("app=release")).extracting(p -> p.getMetadata().getName())
        .doesNotContain(leaving.getMetadata().getName()).hasSize(2);
  }

  private static ReplicaSet replicaSet(String app, int replicas) {
    Map<String, String> labels = Map.of("app", app);
    return new ReplicaSetBuilder().withNewMetadata().withName(app).withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private static void setReplicas(String name, int replicas) {
    ReplicaSet current = replicaSets.get(name).orElseThrow();
    replicaSets.update(new ReplicaSetBuilder(current).editSpec().withReplicas(replicas).endSpec().build());
  }

  private static List<Pod> activePods(String selector) {
    return pods.list(ListOptions.ALL.withLabelSelector(selector)).items().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static void awaitStatus(String name, int replicas) throws InterruptedException {
    Eventually.await(name + " at " + replicas + " ready replicas", WAIT, () -> {
      ReplicaSet rs = replicaSets.get(name).orElseThrow();
      return rs.getStatus() != null && rs.getStatus().getReplicas() == replicas
          && rs.getStatus().getReadyReplicas() == replicas && rs.getStatus().getAvailableReplicas() == replicas
          && rs.getStatus().getObservedGeneration().equals(rs.getMetadata().getGeneration());
    }, () -> replicaSets.get(name).map(ReplicaSet::getStatus).orElse(null));
  }
}
