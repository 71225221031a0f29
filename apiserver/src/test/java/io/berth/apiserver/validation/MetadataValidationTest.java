package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.errors;
import static io.berth.apiserver.validation.Objects.type;
import static io.berth.apiserver.validation.Objects.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.registry.ResourceType;
import org.junit.jupiter.api.Test;

class MetadataValidationTest {
  private final ResourceType configMaps = type("", "configmaps");
  private final ResourceType namespaces = type("", "namespaces");
  private final ResourceType services = type("", "services");

  @Test
  void namespacesAndServicesHaveLabelNamesOtherKindsSubdomains() {
    assertThat(errors(configMaps, "{\"metadata\":{\"name\":\"a.b\",\"namespace\":\"default\"}}")).isEmpty();
    assertThat(errors(namespaces, "{\"metadata\":{\"name\":\"a.b\"}}")).singleElement().asString()
        .startsWith("metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label");
    assertThat(errors(services, """
        {"metadata":{"name":"1web","namespace":"default"},"spec":{"ports":[{"port":80}]}}"""))
        .singleElement().asString().startsWith("metadata.name: Invalid value: \"1web\": a DNS-1035 label");
  }

  @Test
  void aNameOrGenerateNameIsRequiredAndGenerateNameIsAPrefix() {
    assertThat(errors(configMaps, "{\"metadata\":{\"namespace\":\"default\"}}"))
        .containsExactly("metadata.name: Required value: name or generateName is required");
    assertThat(errors(configMaps, "{\"metadata\":{\"generateName\":\"Web-\",\"name\":\"web-x\",\"namespace\":\"default\"}}"))
        .singleElement().asString().startsWith("metadata.generateName: Invalid value: \"Web-\"");
  }

  @Test
  void namespacedObjectsNeedANamespaceClusterScopedOnesMayNotHaveOne() {
    assertThat(errors(configMaps, "{\"metadata\":{\"name\":\"c\"}}"))
        .containsExactly("metadata.namespace: Required value");
    // The codec and metadata policy normally clear it; validation is the backstop.
    var ns = Objects.object(namespaces, "{\"metadata\":{\"name\":\"n\"}}");
    ns.getMetadata().setNamespace("default");
    assertThat(Validation.errorsOf(namespaces, ns)).extracting(FieldError::toString)
        .containsExactly("metadata.namespace: Forbidden: not allowed on this type");
  }

  @Test
  void labelKeysAndValuesAreChecked() {
    assertThat(errors(configMaps, """
        {"metadata":{"name":"c","namespace":"default","labels":{"bad key":"ok","ok":"bad value"}}}"""))
        .hasSize(2)
        .anySatisfy(e -> assertThat(e).startsWith("metadata.labels: Invalid value: \"bad key\": name part must consist"))
        .anySatisfy(e -> assertThat(e).startsWith("metadata.labels: Invalid value: \"bad value\": a valid label"));
  }

  @Test
  void annotationsTogetherMayNotExceed256KiB() {
    String big = "x".repeat(256 * 1024);
    assertThat(errors(configMaps, "{\"metadata\":{\"name\":\"c\",\"namespace\":\"default\",\"annotations\":{\"a\":\""
        + big + "\"}}}")).containsExactly("metadata.annotations: Too long: must have at most 262144 bytes");
    assertThat(errors(configMaps, "{\"metadata\":{\"name\":\"c\",\"namespace\":\"default\",\"annotations\":"
        + "{\"Example.com/Upper\":\"v\"}}}")).isEmpty();
  }

  @Test
  void finalizersAreQualifiedNames() {
    assertThat(errors(configMaps, "{\"metadata\":{\"name\":\"c\",\"namespace\":\"default\",\"finalizers\":[\"a b\"]}}"))
        .singleElement().asString().startsWith("metadata.finalizers[0]: Invalid value: \"a b\"");
  }

  @Test
  void identityFieldsNeverChange() {
    String old = "{\"metadata\":{\"name\":\"c\",\"namespace\":\"default\",\"uid\":\"u1\","
        + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\"}}";
    String changed = "{\"metadata\":{\"name\":\"c\",\"namespace\":\"default\",\"uid\":\"u2\","
        + "\"creationTimestamp\":\"2026-01-02T00:00:00Z\"}}";
    assertThat(updateErrors(configMaps, changed, old)).containsExactly(
        "metadata.uid: Invalid value: \"u2\": field is immutable",
        "metadata.creationTimestamp: Invalid value: \"2026-01-02T00:00:00Z\": field is immutable");
  }
}
