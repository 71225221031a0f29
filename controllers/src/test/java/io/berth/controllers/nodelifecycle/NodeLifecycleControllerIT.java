package io.berth.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.replicaset.ReplicaSetController;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.Heartbeater;
import io.berth.controllers.testing.TestCluster;
import io.berth.controllers.testing.TestNodeAgent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node heartbeat loss on a real 3-replica cluster: two nodes heartbeat, one falls silent,
 * becomes Unknown and tainted, its pods are evicted after their toleration and the
 * ReplicaSet controller replaces them; a pod tolerating the taint forever stays; when the
 * node heartbeats again its taint goes.
 */
class NodeLifecycleControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static SharedInformers informers;
  static ControllerManager manager;
  static Heartbeater silent;
  static Heartbeater healthy;
  static TestNodeAgent agent;
  static Client client;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = cluster.client();
    silent = new Heartbeater(client, "worker-1", "10.0.0.1", Duration.ofMillis(200));
    healthy = new Heartbeater(client, "worker-2", "10.0.0.2", Duration.ofMillis(200));
    informers = new SharedInformers(client);
    NodeLifecycleSettings settings = NodeLifecycleSettings.defaults().withHeartbeatGrace(Duration.ofSeconds(3))
        .withDefaultToleration(Duration.ofMinutes(5)).withEvictionRates(10, 10);
    manager = ControllerManager.builder(informers)
        .controller(new NodeLifecycleController(informers, settings))
        .controller(new ReplicaSetController(informers))
        .registry(new PrometheusRegistry()).build();
    informers.start();
    manager.start(client);
    agent = new TestNodeAgent(client, "worker-1", Duration.ofMillis(100)).start();
  }

  @AfterAll
  static void stop() {
    // Null-safe: a cluster that failed to start leaves the rest unset.
    if (agent != null) {
      agent.close();
    }
    if (silent != null) {
      silent.close();
    }
    if (healthy != null) {
      healthy.close();
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
  void aSilentNodeIsTaintedItsPodsEvictedAndReplacedAndItRecoversWhenItHeartbeatsAgain() throws Exception {
    ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("default");
    client.resource(Resource.REPLICA_SET).inNamespace("default").create(new ReplicaSetBuilder().withNewMetadata()
        .withName("evictable").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
        .withMatchLabels(Map.of("app", "evictable")).endSelector().withNewTemplate().withNewMetadata()
        .withLabels(Map.of("app", "evictable")).endMetadata().withNewSpec().addNewContainer().withName("app")
        .withImage("nginx:1").endContainer()
        // A short toleration of its own: per-pod tolerations win over the (5 minute) default.
        .addNewToleration().withKey(NodeLifecycleDecision.UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
        .withTolerationSeconds(2L).endToleration()
        .endSpec().endTemplate().endSpec().build());
    pods.create(new PodBuilder().withNewMetadata().withName("stays").endMetadata().withNewSpec()
        .withNodeName("worker-1").addNewContainer().withName("app").withImage("nginx:1").endContainer()
        .addNewToleration().withKey(NodeLifecycleDecision.UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
        .endToleration().endSpec().build());
    Eventually.await("two ready pods of the ReplicaSet", WAIT, () -> ready(pods, "app=evictable").size() == 2);
    Set<String> before = ready(pods, "app=evictable");

    // worker-1's agent dies; with no scheduler here, worker-2's agent takes the new pods.
    silent.silence();
    agent.close();
    agent = new TestNodeAgent(client, "worker-2", Duration.ofMillis(100)).start();

    Eventually.await("worker-1 Unknown", WAIT, () -> readyStatus("worker-1").equals("Unknown"),
        () -> client.resource(Resource.NODE).get("worker-1").map(n -> n.getStatus().getConditions()).orElse(null));
    Node node = client.resource(Resource.NODE).get("worker-1").orElseThrow();
    NodeCondition readyCondition = node.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    assertThat(readyCondition.getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(readyCondition.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    Eventually.await("worker-1 tainted unreachable", WAIT, () -> taintKeys("worker-1")
        .contains(NodeLifecycleDecision.UNREACHABLE));
    assertThat(readyStatus("worker-2")).as("the node still heartbeating").isEqualTo("True");

    Eventually.await("the ReplicaSet's pods replaced", WAIT, () -> {
      Set<String> now = ready(pods, "app=evictable");
      return now.size() == 2 && now.stream().noneMatch(before::contains)
          && now.stream().allMatch(name -> pods.get(name).orElseThrow().getSpec().getNodeName().equals("worker-2"));
    }, () -> pods.list(ListOptions.ALL).items().stream().map(p -> p.getMetadata().getName()
        + (p.getMetadata().getDeletionTimestamp() == null ? "" : "(deleting)")).toList());
    assertThat(pods.get("stays")).as("tolerates the taint forever").isPresent()
        .hasValueSatisfying(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull());

    silent.resume();
    Eventually.await("worker-1's taint removed", WAIT, () -> !taintKeys("worker-1")
        .contains(NodeLifecycleDecision.UNREACHABLE));
    // Events are written in the background.
    Eventually.await("an event for each transition", WAIT, () -> reasons().containsAll(
        List.of("NodeNotReady", "TaintAdded", "TaintManagerEviction", "TaintRemoved", "NodeReady")), () -> reasons());
  }

  private static List<String> reasons() {
    return client.resource(Resource.EVENT).inNamespace("default").list(ListOptions.ALL).items()
        .stream().map(Event::getReason).toList();
  }

  private static Set<String> ready(ResourceClient<Pod> pods, String selector) {
    return pods.list(ListOptions.ALL.withLabelSelector(selector)).items().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && "Running".equals(p.getStatus().getPhase()))
        .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static String readyStatus(String name) {
    return NodeConditions.readyStatus(client.resource(Resource.NODE).get(name).orElseThrow());
  }

  private static List<String> taintKeys(String name) {
    Node node = client.resource(Resource.NODE).get(name).orElseThrow();
    return node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints().stream().map(Taint::getKey)
        .toList();
  }
}
