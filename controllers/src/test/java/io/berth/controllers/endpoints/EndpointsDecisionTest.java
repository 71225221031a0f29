package io.berth.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsDecisionTest {
  private static final Map<String, String> NODES = Map.of("node-1", "10.0.0.1", "node-2", "10.0.0.2");

  @Test
  void readyPodsAreAddressesAndTheOthersNotReadyAddresses() {
    Service web = service(new IntOrString(8080));
    List<EndpointSubset> subsets = EndpointsDecision.subsets(web,
        List.of(pod("a", "node-1", "172.17.0.2", true), pod("b", "node-1", "172.17.0.3", false)), NODES::get);

    assertThat(subsets).hasSize(1);
    assertThat(subsets.get(0).getAddresses()).extracting(EndpointAddress::getIp).containsExactly("172.17.0.2");
    assertThat(subsets.get(0).getNotReadyAddresses()).extracting(EndpointAddress::getIp).containsExactly("172.17.0.3");
    assertThat(subsets.get(0).getPorts()).extracting(EndpointPort::getPort).containsExactly(8080);
    assertThat(subsets.get(0).getAddresses().get(0).getTargetRef().getName()).isEqualTo("a");
  }

  @Test
  void aPortTheAgentPublishedIsReachedOnTheNodeAddress() {
    Pod published = new PodBuilder(pod("a", "node-2", "172.17.0.2", true)).editMetadata()
        .addToAnnotations(PublishedPorts.ANNOTATION, "{\"8080/TCP\": 31005}").endMetadata().build();
    List<EndpointSubset> subsets = EndpointsDecision.subsets(service(new IntOrString(8080)), List.of(published),
        NODES::get);
    assertThat(subsets.get(0).getAddresses().get(0).getIp()).as("node-2's InternalIP").isEqualTo("10.0.0.2");
    assertThat(subsets.get(0).getPorts().get(0).getPort()).isEqualTo(31005);
  }

  @Test
  void aDeclaredHostPortIsReachedOnTheHostIp() {
    Pod pod = new PodBuilder(pod("a", "node-1", "172.17.0.2", true)).editSpec().editFirstContainer().editFirstPort()
        .withHostPort(9090).endPort().endContainer().endSpec().editStatus().withHostIP("192.168.1.5").endStatus()
        .build();
    EndpointSubset subset = EndpointsDecision.subsets(service(new IntOrString(8080)), List.of(pod), NODES::get).get(0);
    assertThat(subset.getAddresses().get(0).getIp()).isEqualTo("192.168.1.5");
    assertThat(subset.getPorts().get(0).getPort()).isEqualTo(9090);
  }

  @Test
  void aTargetPortByNameIsTheNamedContainerPort() {
    EndpointSubset subset = EndpointsDecision.subsets(service(new IntOrString("http")),
        List.of(pod("a", "node-1", "172.17.0.2", true)), NODES::get).get(0);
    assertThat(subset.getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(subset.getPorts().get(0).getName()).isEqualTo("web");
  }

  @Test
  void podsNotSelectedFinishedBeingDeletedOrWithoutAddressAreLeftOut() {
    Pod other = new PodBuilder(pod("other", "node-1", "172.17.0.9", true)).editMetadata()
        .withLabels(Map.of("app", "db")).endMetadata().build();
    Pod finished = new PodBuilder(pod("done", "node-1", "172.17.0.8", false)).editStatus().withPhase("Succeeded")
        .endStatus().build();
    Pod leaving = new PodBuilder(pod("leaving", "node-1", "172.17.0.7", true)).editMetadata()
        .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
    Pod unplaced = pod("pending", null, null, false);
    assertThat(EndpointsDecision.subsets(service(new IntOrString(8080)), List.of(other, finished, leaving, unplaced),
        NODES::get)).isEmpty();
  }

  @Test
  void onlyServicesWithASelectorAreManaged() {
    assertThat(EndpointsDecision.manages(service(new IntOrString(80)))).isTrue();
    assertThat(EndpointsDecision.manages(new ServiceBuilder().withNewSpec().endSpec().build())).isFalse();
  }

  @Test
  void theSameStateGivesAnEqualResult() {
    List<Pod> pods = List.of(pod("b", "node-1", "172.17.0.3", true), pod("a", "node-1", "172.17.0.2", true));
    assertThat(EndpointsDecision.subsets(service(new IntOrString(8080)), pods, NODES::get))
        .isEqualTo(EndpointsDecision.subsets(service(new IntOrString(8080)), pods.reversed(), NODES::get));
  }

  private static Service service(IntOrString target) {
    return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
        .withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withName("web").withPort(80)
        .withTargetPort(target).withProtocol("TCP").endPort().endSpec().build();
  }

  private static Pod pod(String name, String node, String podIp, boolean ready) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name)
        .withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("app").addNewPort().withName("http")
        .withContainerPort(8080).withProtocol("TCP").endPort().endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(podIp)
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
        .build();
  }
}
