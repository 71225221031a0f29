package io.berth.apiserver.defaulting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class NetworkDefaultsTest {
  @Test
  void aServiceIsClusterIpWithTcpPortsForwardingToTheSamePort() {
    Service s = new ServiceBuilder().withNewSpec().addNewPort().withPort(80).endPort()
        .addNewPort().withPort(53).withProtocol("UDP").withTargetPort(new IntOrString("dns")).endPort().endSpec().build();
    NetworkDefaults.service(s);
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getSessionAffinity()).isEqualTo("None");
    assertThat(s.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(s.getSpec().getExternalTrafficPolicy()).isNull();
    assertThat(s.getSpec().getPorts().get(0).getProtocol()).isEqualTo("TCP");
    assertThat(s.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(80);
    assertThat(s.getSpec().getPorts().get(1).getProtocol()).isEqualTo("UDP");
    assertThat(s.getSpec().getPorts().get(1).getTargetPort().getStrVal()).isEqualTo("dns");
  }

  @Test
  void aNodePortServiceHasAnExternalTrafficPolicy() {
    Service s = new ServiceBuilder().withNewSpec().withType("NodePort").endSpec().build();
    NetworkDefaults.service(s);
    assertThat(s.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
  }

  @Test
  void endpointPortsAreTcp() {
    Endpoints ep = new EndpointsBuilder().addNewSubset().addNewPort().withPort(8080).endPort().endSubset().build();
    NetworkDefaults.endpoints(ep);
    assertThat(ep.getSubsets().get(0).getPorts().get(0).getProtocol()).isEqualTo("TCP");
  }
}
