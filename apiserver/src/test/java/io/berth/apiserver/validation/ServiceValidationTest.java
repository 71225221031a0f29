package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.errors;
import static io.berth.apiserver.validation.Objects.type;
import static io.berth.apiserver.validation.Objects.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.registry.ResourceType;
import org.junit.jupiter.api.Test;

class ServiceValidationTest {
  private final ResourceType services = type("", "services");
  private final ResourceType endpoints = type("", "endpoints");

  private static String service(String spec) {
    return "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":" + spec + "}";
  }

  @Test
  void portsAreRequiredUnlessHeadlessOrExternalName() {
    assertThat(errors(services, service("{}"))).containsExactly("spec.ports: Required value");
    assertThat(errors(services, service("{\"clusterIP\":\"None\"}"))).isEmpty();
    assertThat(errors(services, service("{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}"))).isEmpty();
    assertThat(errors(services, service("{\"type\":\"ExternalName\"}")))
        .containsExactly("spec.externalName: Required value");
  }

  @Test
  void portsAreInRangeNamedWhenSeveralAndTargetPortsAreNumbersOrNames() {
    assertThat(errors(services, service("""
        {"ports":[{"port":0},{"port":80,"protocol":"ICMP","targetPort":"HTTP"},{"name":"a","port":81,"targetPort":70000}]}""")))
        .contains(
            "spec.ports[0].name: Required value",
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.ports[1].name: Required value",
            "spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive")
        .anySatisfy(e -> assertThat(e).startsWith("spec.ports[1].targetPort: Invalid value: \"HTTP\""));
  }

  @Test
  void typesClusterIpsAndNodePortsAreChecked() {
    assertThat(errors(services, service("{\"type\":\"Magic\",\"ports\":[{\"port\":80}]}"))).singleElement()
        .asString().startsWith("spec.type: Unsupported value: \"Magic\"");
    assertThat(errors(services, service("{\"clusterIP\":\"10.0.0.300\",\"ports\":[{\"port\":80}]}")))
        .singleElement().asString().startsWith("spec.clusterIP: Invalid value: \"10.0.0.300\": must be a valid IP");
    assertThat(errors(services, service("{\"ports\":[{\"port\":80,\"nodePort\":30080}]}")))
        .containsExactly("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
  }

  @Test
  void theClusterIpCannotChangeOnceSet() {
    String old = service("{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"port\":80}]}");
    assertThat(updateErrors(services, service("{\"clusterIP\":\"10.96.0.11\",\"ports\":[{\"port\":80}]}"), old))
        .containsExactly("spec.clusterIP: Invalid value: \"10.96.0.11\": field is immutable");
    assertThat(updateErrors(services, service("{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"port\":81}]}"), old))
        .isEmpty();
  }

  @Test
  void endpointAddressesAreRoutableIpsAndPortsAreValid() {
    assertThat(errors(endpoints, """
        {"metadata":{"name":"web","namespace":"default"},"subsets":[{
          "addresses":[{"ip":"10.0.0.5"},{"ip":"169.254.0.1"},{"ip":"pod-a"}],"notReadyAddresses":[{}],
          "ports":[{"name":"http","port":8080},{"port":0,"protocol":"TCP"}]}]}"""))
        .contains(
            "subsets[0].addresses[1].ip: Invalid value: \"169.254.0.1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
            "subsets[0].notReadyAddresses[0].ip: Required value",
            "subsets[0].ports[1].name: Required value",
            "subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive")
        .anySatisfy(e -> assertThat(e).startsWith("subsets[0].addresses[2].ip: Invalid value: \"pod-a\""));
  }

  @Test
  void loopbackEndpointAddressesAreAllowedForNodesOfALocalCluster() {
    assertThat(errors(endpoints, """
        {"metadata":{"name":"web","namespace":"default"},"subsets":[{
          "addresses":[{"ip":"127.0.1.2"}],"ports":[{"port":40001}]}]}""")).isEmpty();
  }
}
