package io.berth.scheduler.runtime;

import static io.berth.controllers.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.testing.TestCluster;
import io.berth.scheduler.testing.HollowNodes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler on a real 3-replica control plane, with hollow nodes: why a pod fits nowhere
 * shows in its status and in an Event, a node added places the waiting pod, and a burst of
 * pods is bound once each.
 */
class SchedulerServiceIT {
  @TempDir
  static Path root;
  static TestCluster cluster;
  static Client client;
  static SharedInformers informers;
  static SchedulerService scheduler;
  static HollowNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 3);
    client = cluster.client();
    nodes = new HollowNodes(client, Duration.ofSeconds(10), true);
    informers = new SharedInformers(cluster.client());
    scheduler = new SchedulerService(informers,
        SchedulerSettings.defaults().withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
        new PrometheusRegistry(), Clock.systemUTC());
    scheduler.start(client);
  }

  @AfterAll
  static void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    if (informers != null) {
      informers.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyReasonAPodFitsNowhereShowsInItsConditionAndAnEventAndANewNodePlacesIt() throws Exception {
    ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("reasons");
    client.resource(Resource.NAMESPACE).create(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName("reasons").endMetadata().build());
    nodes.add(HollowNodes.node("r-taint").editMetadata().addToLabels("zone", "a").endMetadata()
        .editSpec().withTaints(new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").build())
        .endSpec().build());
    nodes.add(HollowNodes.node("r-small").editMetadata().addToLabels("zone", "a").endMetadata()
        .editStatus().addToAllocatable("cpu", new Quantity("1")).endStatus().build());
    nodes.add(HollowNodes.node("r-cordoned").editMetadata().addToLabels("zone", "a").endMetadata()
        .editSpec().withUnschedulable(true).endSpec().build());
    nodes.add(HollowNodes.node("r-notready").editMetadata().addToLabels("zone", "a").endMetadata()
        .editStatus().editFirstCondition().withStatus("False").withReason("KubeletNotReady").endCondition()
        .endStatus().build());
    nodes.add(HollowNodes.node("r-elsewhere").editMetadata().addToLabels("zone", "b").endMetadata().build());

    pods.create(pod("waiting", "2", Map.of("zone", "a")));
    String expectedParts[] = {
        "1 Insufficient cpu",
        "1 node(s) didn't match Pod's node affinity/selector",
        "1 node(s) had untolerated taint {dedicated: gpu}",
        "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }",
        "1 node(s) were unschedulable"};
    // Nodes of the other tests count too ("0/N nodes"): only these five have zone=a or zone=b,
    // the others fail the node selector as well.
    await("the PodScheduled=False condition", Duration.ofSeconds(30),
        () -> scheduledCondition(pods.get("waiting").orElseThrow())
            .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())
                && c.getMessage().contains("Insufficient cpu") && c.getMessage().contains("were unschedulable"))
            .isPresent());
    String message = scheduledCondition(pods.get("waiting").orElseThrow()).orElseThrow().getMessage();
    assertThat(message).matches("0/\\d+ nodes are available: .*\\.");
    for (String part : expectedParts) {
      if (part.contains("affinity/selector")) {
        assertThat(message).containsPattern("\\d+ node\\(s\\) didn't match Pod's node affinity/selector");
      } else {
        assertThat(message).contains(part);
      }
    }
    await("a FailedScheduling event", Duration.ofSeconds(30), () -> client.resource(Resource.EVENT)
        .inNamespace("reasons").list(ListOptions.ALL).items().stream()
        .anyMatch(e -> "FailedScheduling".equals(e.getReason()) && "waiting".equals(e.getInvolvedObject().getName())
            && e.getMessage().contains("Insufficient cpu")));

    nodes.add(HollowNodes.node("r-roomy").editMetadata().addToLabels("zone", "a").endMetadata().build());
    await("the waiting pod bound to the new node", Duration.ofSeconds(30),
        () -> "r-roomy".equals(pods.get("waiting").orElseThrow().getSpec().getNodeName()));
    await("a Scheduled event", Duration.ofSeconds(30), () -> client.resource(Resource.EVENT)
        .inNamespace("reasons").list(ListOptions.ALL).items().stream().map(Event::getReason)
        .anyMatch("Scheduled"::equals));
  }

  @Test
  void aBurstOfPodsIsBoundOnceEachAndSpreadOverTheNodes() throws Exception {
    client.resource(Resource.NAMESPACE).create(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName("burst").endMetadata().build());
    nodes.addNodes("b", 10, Map.of("pool", "burst"));
    ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("burst");
    int count = 200;
    try (var creators = java.util.concurrent.Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < count; i++) {
        String name = "p" + i;
        creators.execute(() -> pods.create(pod(name, "100m", Map.of("pool", "burst"))));
      }
    }
    await("every pod Running on a hollow node", Duration.ofSeconds(60),
        () -> pods.list(ListOptions.ALL).items().stream()
            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count() == count);

    Map<String, Set<String>> boundTo = nodes.boundTo();
    for (int i = 0; i < count; i++) {
      assertThat(boundTo.get("burst/p" + i)).as("burst/p%d seen bound to", i).hasSize(1);
    }
    Map<String, Long> perNode = pods.list(ListOptions.ALL).items().stream()
        .collect(java.util.stream.Collectors.groupingBy(p -> p.getSpec().getNodeName(),
            java.util.stream.Collectors.counting()));
    assertThat(perNode.keySet()).as("spread over the ten nodes").allMatch(n -> n.startsWith("b-")).hasSize(10);
    assertThat(perNode.values()).allMatch(n -> n >= 10 && n <= 30);
  }

  private static Optional<PodCondition> scheduledCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
  }

  private static Pod pod(String name, String cpu, Map<String, String> nodeSelector) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeSelector(nodeSelector)
        .addNewContainer().withName("c").withImage("busybox")
        .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
        .endSpec().build();
  }
}
