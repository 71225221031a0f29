package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.errors;
import static io.berth.apiserver.validation.Objects.type;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.registry.ResourceType;
import org.junit.jupiter.api.Test;

/** Nodes, Namespaces, Events and Leases: the kinds with few rules of their own. */
class ClusterKindsValidationTest {
  private final ResourceType nodes = type("", "nodes");
  private final ResourceType namespaces = type("", "namespaces");
  private final ResourceType events = type("", "events");
  private final ResourceType leases = Objects.TABLE.find("coordination.k8s.io", "v1", "leases").orElseThrow();

  @Test
  void nodeNamesMayBeHostNamesAndTaintsHaveKeysAndKnownEffects() {
    assertThat(errors(nodes, "{\"metadata\":{\"name\":\"worker-1.example.com\"}}")).isEmpty();
    assertThat(errors(nodes, """
        {"metadata":{"name":"n"},"spec":{"taints":[{"key":"k","effect":"Sometimes"},{"effect":"NoSchedule"},
         {"key":"d","effect":"NoExecute"},{"key":"d","effect":"NoExecute"}]}}"""))
        .contains("spec.taints[1].key: Required value", "spec.taints[3]: Duplicate value: \"d:NoExecute\"")
        .anySatisfy(e -> assertThat(e).startsWith("spec.taints[0].effect: Unsupported value: \"Sometimes\""));
  }

  @Test
  void namespaceFinalizersAreQualifiedNames() {
    assertThat(errors(namespaces, "{\"metadata\":{\"name\":\"team-a\"}}")).isEmpty();
    assertThat(errors(namespaces, "{\"metadata\":{\"name\":\"team-a\"},\"spec\":{\"finalizers\":[\"not valid\"]}}"))
        .singleElement().asString().startsWith("spec.finalizers[0]: Invalid value: \"not valid\"");
  }

  @Test
  void anEventIsAboutAnObjectInItsOwnNamespace() {
    String valid = """
        {"metadata":{"name":"p.1","namespace":"default"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},
         "reason":"Started","type":"Normal"}""";
    assertThat(errors(events, valid)).isEmpty();
    assertThat(errors(events, valid.replace("\"name\":\"p\",\"namespace\":\"default\"", "\"name\":\"p\",\"namespace\":\"other\"")))
        .containsExactly("involvedObject.namespace: Invalid value: \"other\": does not match event.namespace");
    assertThat(errors(events, "{\"metadata\":{\"name\":\"e\",\"namespace\":\"default\"},\"type\":\"Bad\"}"))
        .contains("involvedObject: Required value")
        .anySatisfy(e -> assertThat(e).startsWith("type: Unsupported value: \"Bad\""));
    assertThat(errors(events, valid.replace("Started", "r".repeat(129)))).singleElement().asString()
        .endsWith("can have at most 128 characters");
  }

  @Test
  void aLeaseLastsSomeTimeAndCountsTransitionsFromZero() {
    assertThat(errors(leases, """
        {"metadata":{"name":"l","namespace":"kube-node-lease"},
         "spec":{"holderIdentity":"n1","leaseDurationSeconds":40,"renewTime":"2026-01-01T00:00:00.000000Z"}}""")).isEmpty();
    assertThat(errors(leases, """
        {"metadata":{"name":"l","namespace":"kube-node-lease"},"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}}"""))
        .containsExactly("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
            "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");
  }
}
