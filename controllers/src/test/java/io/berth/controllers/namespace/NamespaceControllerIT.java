package io.berth.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.gc.GarbageCollector;
import io.berth.controllers.replicaset.ReplicaSetController;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.TestCluster;
import io.berth.controllers.testing.TestNodeAgent;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a namespace on a real 3-replica cluster: its content goes, then the namespace. */
class NamespaceControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Client client;
  static SharedInformers informers;
  static ControllerManager manager;
  static TestNodeAgent agent;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = cluster.client();
    informers = new SharedInformers(client);
    manager = ControllerManager.builder(informers).controller(new ReplicaSetController(informers))
        .controller(new GarbageCollector(informers))
        .controller(new NamespaceController(informers, Duration.ofMillis(200)))
        .registry(new PrometheusRegistry()).build();
    informers.start();
    manager.start(client);
    agent = new TestNodeAgent(client, "node-1", Duration.ofMillis(100)).start();
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
  void deletingANamespaceDeletesEverythingInItAndThenTheNamespace() throws Exception {
    client.resource(Resource.NAMESPACE).create(new NamespaceBuilder().withNewMetadata().withName("team")
        .endMetadata().build());
    client.resource(Resource.CONFIG_MAP).inNamespace("team").create(new ConfigMapBuilder().withNewMetadata()
        .withName("settings").endMetadata().addToData("k", "v").build());
    client.resource(Resource.ROLE_BINDING).inNamespace("team").create(new RoleBindingBuilder().withNewMetadata()
        .withName("readers").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("alice").endSubject()
        .build());
    Map<String, String> labels = Map.of("app", "web");
    client.resource(Resource.REPLICA_SET).inNamespace("team").create(new ReplicaSetBuilder().withNewMetadata()
        .withName("web").endMetadata().withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(labels)
        .endSelector().withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec().endTemplate().endSpec()
        .build());
    Eventually.await("two pods running in team", WAIT, () -> client.resource(Resource.POD).inNamespace("team")
        .list(ListOptions.ALL).items().stream().filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 2);

    client.resource(Resource.NAMESPACE).delete("team");

    assertThatThrownBy(() -> client.resource(Resource.CONFIG_MAP).inNamespace("team").create(new ConfigMapBuilder()
        .withNewMetadata().withName("late").endMetadata().build()))
        .as("new content is refused while it terminates (or, if it is gone already, not found)")
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isIn(403, 404));
    Eventually.await("the namespace gone", WAIT, () -> client.resource(Resource.NAMESPACE).get("team").isEmpty(),
        () -> client.resource(Resource.NAMESPACE).get("team").map(n -> n.getStatus()).orElse(null));
    assertThat(client.resource(Resource.CONFIG_MAP).inNamespace("team").list(ListOptions.ALL).items()).isEmpty();
    assertThat(client.resource(Resource.POD).inNamespace("team").list(ListOptions.ALL).items()).isEmpty();
    assertThat(client.resource(Resource.REPLICA_SET).inNamespace("team").list(ListOptions.ALL).items()).isEmpty();
    assertThat(client.resource(Resource.ROLE_BINDING).inNamespace("team").list(ListOptions.ALL).items())
        .as("a binding left behind would grant a namespace re-created under this name").isEmpty();
  }

  @Test
  void aTerminatingNamespaceSaysSo() throws Exception {
    client.resource(Resource.NAMESPACE).create(new NamespaceBuilder().withNewMetadata().withName("held")
        .endMetadata().build());
    // A finalizer nobody removes keeps one object, so the namespace stays Terminating.
    client.resource(Resource.CONFIG_MAP).inNamespace("held").create(new ConfigMapBuilder().withNewMetadata()
        .withName("stuck").withFinalizers("example.com/hold").endMetadata().build());
    client.resource(Resource.NAMESPACE).delete("held");

    Eventually.await("the configmap being deleted", WAIT, () -> client.resource(Resource.CONFIG_MAP)
        .inNamespace("held").get("stuck").orElseThrow().getMetadata().getDeletionTimestamp() != null);
    assertThat(client.resource(Resource.NAMESPACE).get("held").orElseThrow().getStatus().getPhase())
        .isEqualTo("Terminating");

    var stuck = client.resource(Resource.CONFIG_MAP).inNamespace("held").get("stuck").orElseThrow();
    client.resource(Resource.CONFIG_MAP).inNamespace("held").update(new ConfigMapBuilder(stuck).editMetadata()
        .withFinalizers().endMetadata().build());
    Eventually.await("the namespace gone once its last object is", WAIT,
        () -> client.resource(Resource.NAMESPACE).get("held").isEmpty());
  }

}
