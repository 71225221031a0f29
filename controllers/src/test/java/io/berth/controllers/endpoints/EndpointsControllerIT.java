package io.berth.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints following pod readiness on a real 3-replica cluster; the test plays the agent's status writes. */
class EndpointsControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Client client;
  static SharedInformers informers;
  static ControllerManager manager;
  static ResourceClient<Pod> pods;
  static ResourceClient<Endpoints> endpoints;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = cluster.client();
    informers = new SharedInformers(client);
    manager = ControllerManager.builder(informers).controller(new EndpointsController(informers))
        .registry(new PrometheusRegistry()).build();
    informers.start();
    manager.start(client);
    pods = client.resource(Resource.POD).inNamespace("default");
    endpoints = client.resource(Resource.ENDPOINTS).inNamespace("default");
  }

  @AfterAll
  static void stop() {
    // Null-safe: a cluster that failed to start leaves the rest unset.
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
  void endpointsFollowReadinessWithinASecond() throws Exception {
    client.resource(Resource.SERVICE).inNamespace("default").create(new ServiceBuilder().withNewMetadata()
        .withName("web").endMetadata().withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withName("http")
        .withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build());
    pods.create(new PodBuilder().withNewMetadata().withName("web-0").withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().withNodeName("node-1").addNewContainer().withName("app").withImage("nginx:1").addNewPort()
        .withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build());
    setReady("web-0", false);
    Eventually.await("web-0 not ready in the Endpoints", WAIT, () -> notReady("web").contains("172.17.0.5"));

    for (boolean ready : new boolean[] {true, false, true}) {
      long start = System.nanoTime();
      setReady("web-0", ready);
      Eventually.await("web-0 " + (ready ? "ready" : "not ready"), WAIT,
          () -> (ready ? ready("web") : notReady("web")).contains("172.17.0.5"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("readiness reached the Endpoints in " + took).isLessThan(Duration.ofSeconds(1));
    }
    EndpointSubset subset = endpoints.get("web").orElseThrow().getSubsets().get(0);
    assertThat(subset.getPorts().get(0).getPort()).as("targetPort by name").isEqualTo(8080);
    assertThat(subset.getPorts().get(0).getName()).isEqualTo("http");

    client.resource(Resource.SERVICE).inNamespace("default").delete("web");
    Eventually.await("the Endpoints go with the Service", WAIT, () -> endpoints.get("web").isEmpty());
  }

  @Test
  void aServiceWithoutSelectorKeepsTheEndpointsWrittenByHand() throws Exception {
    client.resource(Resource.SERVICE).inNamespace("default").create(new ServiceBuilder().withNewMetadata()
        .withName("external").endMetadata().withNewSpec().addNewPort().withPort(5432).endPort().endSpec().build());
    endpoints.create(new EndpointsBuilder().withNewMetadata().withName("external").endMetadata().addNewSubset()
        .addNewAddress().withIp("192.0.2.10").endAddress().addNewPort().withPort(5432).endPort().endSubset().build());
    Thread.sleep(1000);
    assertThat(endpoints.get("external").orElseThrow().getSubsets().get(0).getAddresses())
        .extracting(EndpointAddress::getIp).containsExactly("192.0.2.10");
  }

  private static void setReady(String name, boolean ready) {
    Pod pod = pods.get(name).orElseThrow();
    pods.updateStatus(new PodBuilder(pod).editStatus().withPhase("Running").withPodIP("172.17.0.5")
        .withConditions().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus().build());
  }

  private static List<String> ready(String name) {
    return endpoints.get(name).map(e -> e.getSubsets().stream().flatMap(s -> s.getAddresses().stream())
        .map(EndpointAddress::getIp).toList()).orElse(List.of());
  }

  private static List<String> notReady(String name) {
    return endpoints.get(name).map(e -> e.getSubsets().stream().flatMap(s -> s.getNotReadyAddresses().stream())
        .map(EndpointAddress::getIp).toList()).orElse(List.of());
  }
}
