package io.berth.controllers.gc;

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
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background, foreground and orphan deletion of ReplicaSets on a real 3-replica cluster. */
class GarbageCollectorIT {
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
        .controller(new GarbageCollector(informers)).registry(new PrometheusRegistry()).build();
    informers.start();
    manager.start(client);
    agent = new TestNodeAgent(client, "node-1", Duration.ofMillis(100)).start();
    replicaSets = client.resource(Resource.REPLICA_SET).inNamespace("default");
    pods = client.resource(Resource.POD).inNamespace("default");
  }

  @AfterAll
  static void stop() {
    // Null-safe: a cluster that failed to start leaves the rest unset.
    if (agent != null) {
      agent.close();
    }
    if (manager != null) {
      manager.stop();
    }
    if (informers != null) {
      informers.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aForegroundDeleteRemovesThePodsBeforeTheReplicaSet() throws Exception {
    createAndAwait("fg");
    List<String> deletions = new CopyOnWriteArrayList<>();
    try (Informer<Pod> podWatch = watchDeletes(pods, "app=fg", deletions);
         Informer<ReplicaSet> rsWatch = watchDeletes(replicaSets, null, deletions)) {
      replicaSets.delete("fg", new DeleteOptionsBuilder().withPropagationPolicy("Foreground").build());

      ReplicaSet held = replicaSets.get("fg").orElse(null);
      if (held != null) {
        assertThat(held.getMetadata().getFinalizers()).contains("foregroundDeletion");
      }
      Eventually.await("the ReplicaSet gone", WAIT, () -> replicaSets.get("fg").isEmpty());
      Eventually.await("all three deletions seen", WAIT, () -> deletions.contains("ReplicaSet/fg")
          && deletions.size() >= 3, () -> deletions);
      assertThat(pods.list(ListOptions.ALL.withLabelSelector("app=fg")).items()).isEmpty();
      assertThat(deletions.getLast()).as("the owner goes last").isEqualTo("ReplicaSet/fg");
    }
  }

  @Test
  void anOrphanDeleteRemovesTheReplicaSetAndKeepsItsPodsWithoutOwners() throws Exception {
    createAndAwait("orphans");
    replicaSets.delete("orphans", new DeleteOptionsBuilder().withPropagationPolicy("Orphan").build());

    Eventually.await("the ReplicaSet gone", WAIT, () -> replicaSets.get("orphans").isEmpty());
    List<Pod> left = pods.list(ListOptions.ALL.withLabelSelector("app=orphans")).items();
    assertThat(left).hasSize(2).allSatisfy(p -> {
      assertThat(p.getMetadata().getOwnerReferences()).isEmpty();
      assertThat(p.getMetadata().getDeletionTimestamp()).isNull();
    });
  }

  @Test
  void aBackgroundDeleteLeavesThePodsToTheCollector() throws Exception {
    createAndAwait("bg");
    replicaSets.delete("bg", new DeleteOptionsBuilder().withPropagationPolicy("Background").build());
    Eventually.await("the pods collected", WAIT,
        () -> pods.list(ListOptions.ALL.withLabelSelector("app=bg")).items().isEmpty());
  }

  @Test
  void aDependentWithAnotherLiveOwnerKeepsLivingAndLosesTheDeadReference() throws Exception {
    ResourceClient<io.fabric8.kubernetes.api.model.ConfigMap> configMaps =
        client.resource(Resource.CONFIG_MAP).inNamespace("default");
    var first = configMaps.create(new ConfigMapBuilder().withNewMetadata().withName("owner-a").endMetadata().build());
    var second = configMaps.create(new ConfigMapBuilder().withNewMetadata().withName("owner-b").endMetadata().build());
    configMaps.create(new ConfigMapBuilder().withNewMetadata().withName("shared").withOwnerReferences(
        ref(first), ref(second)).endMetadata().build());

    configMaps.delete("owner-a");

    Eventually.await("the dead reference dropped", WAIT, () -> configMaps.get("shared").orElseThrow().getMetadata()
        .getOwnerReferences().size() == 1);
    assertThat(configMaps.get("shared").orElseThrow().getMetadata().getOwnerReferences().get(0).getName())
        .isEqualTo("owner-b");
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference ref(HasMetadata owner) {
    return new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
  }

  private static <T extends HasMetadata> Informer<T> watchDeletes(ResourceClient<T> resource, String selector,
      List<String> deletions) throws InterruptedException {
    Informer.Builder<T> builder = Informer.builder(resource).handler(new ResourceEventHandler<>() {
      @Override
      public void onDelete(T object) {
        deletions.add(object.getClass().getSimpleName() + "/" + object.getMetadata().getName());
      }
    });
    if (selector != null) {
      builder.labelSelector(selector);
    }
    Informer<T> informer = builder.build();
    informer.start();
    informer.awaitSynced(WAIT);
    return informer;
  }

  private static void createAndAwait(String app) throws InterruptedException {
    Map<String, String> labels = Map.of("app", app);
    replicaSets.create(new ReplicaSetBuilder().withNewMetadata().withName(app).endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(labels).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec()
        .endTemplate().endSpec().build());
    Eventually.await(app + " at 2 ready pods", WAIT, () -> {
      ReplicaSet rs = replicaSets.get(app).orElseThrow();
      return rs.getStatus() != null && rs.getStatus().getReadyReplicas() != null
          && rs.getStatus().getReadyReplicas() == 2;
    });
  }
}
