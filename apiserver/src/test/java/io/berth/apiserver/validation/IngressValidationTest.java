package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.errors;
import static io.berth.apiserver.validation.Objects.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.registry.ResourceType;
import org.junit.jupiter.api.Test;

class IngressValidationTest {
  private final ResourceType ingresses = Objects.TABLE.find("networking.k8s.io", "v1", "ingresses").orElseThrow();
  private final ResourceType classes = Objects.TABLE.find("networking.k8s.io", "v1", "ingressclasses").orElseThrow();

  private static String ingress(String paths) {
    return "{\"metadata\":{\"name\":\"i\",\"namespace\":\"default\"},\"spec\":{\"rules\":[{\"host\":\"web.example.com\","
        + "\"http\":{\"paths\":" + paths + "}}]}}";
  }

  @Test
  void aPrefixRuleToAServicePortPasses() {
    assertThat(errors(ingresses, ingress("""
        [{"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}},
         {"path":"/api","pathType":"Exact","backend":{"service":{"name":"api","port":{"name":"http"}}}}]"""))).isEmpty();
  }

  @Test
  void pathTypeIsRequiredAndPathsAreAbsoluteAndNormalized() {
    assertThat(errors(ingresses, ingress("""
        [{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}},
         {"path":"api","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}},
         {"path":"/a//b","pathType":"Exact","backend":{"service":{"name":"web","port":{"number":80}}}},
         {"path":"/","pathType":"Regex","backend":{"service":{"name":"web","port":{"number":80}}}}]""")))
        .containsExactly(
            "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
            "spec.rules[0].http.paths[1].path: Invalid value: \"api\": must be an absolute path",
            "spec.rules[0].http.paths[2].path: Invalid value: \"/a//b\": must not contain '//'",
            "spec.rules[0].http.paths[3].pathType: Unsupported value: \"Regex\": supported values: "
                + "\"Exact\", \"ImplementationSpecific\", \"Prefix\"");
  }

  @Test
  void backendsNameAServiceAndExactlyOnePort() {
    assertThat(errors(ingresses, ingress("""
        [{"path":"/","pathType":"Prefix","backend":{"service":{"port":{"number":80}}}},
         {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80,"name":"http"}}}},
         {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":70000}}}},
         {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web"}}}]""")))
        .containsExactly(
            "spec.rules[0].http.paths[0].backend.service.name: Required value",
            "spec.rules[0].http.paths[1].backend.service.port: Invalid value: \"\": cannot set both port name & port number",
            "spec.rules[0].http.paths[2].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.rules[0].http.paths[3].backend.service.port: Required value: port name or number is required");
  }

  @Test
  void anIngressRoutesSomewhereAndHostsAreNames() {
    assertThat(errors(ingresses, "{\"metadata\":{\"name\":\"i\",\"namespace\":\"default\"},\"spec\":{}}"))
        .containsExactly("spec: Invalid value: \"\": either `defaultBackend` or `rules` must be specified");
    assertThat(errors(ingresses, ingress("[]").replace("web.example.com", "10.0.0.1")))
        .containsExactly("spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
            "spec.rules[0].http.paths: Required value");
    assertThat(errors(ingresses, ingress("[{\"path\":\"/\",\"pathType\":\"Prefix\",\"backend\":{\"service\":"
        + "{\"name\":\"web\",\"port\":{\"number\":80}}}}]").replace("web.example.com", "*.example.com"))).isEmpty();
  }

  @Test
  void ingressClassesNameAControllerWhichNeverChanges() {
    String valid = "{\"metadata\":{\"name\":\"nginx\"},\"spec\":{\"controller\":\"berth.io/ingress\"}}";
    assertThat(errors(classes, valid)).isEmpty();
    assertThat(errors(classes, "{\"metadata\":{\"name\":\"nginx\"},\"spec\":{}}"))
        .containsExactly("spec.controller: Required value");
    assertThat(errors(classes, "{\"metadata\":{\"name\":\"nginx\"},\"spec\":{\"controller\":\"ingress\"}}"))
        .containsExactly("spec.controller: Invalid value: \"ingress\": must be a domain-prefixed path (such as \"acme.io/foo\")");
    assertThat(errors(classes, "{\"metadata\":{\"name\":\"nginx\"},\"spec\":{\"controller\":\"berth.io/ingress\","
        + "\"parameters\":{\"kind\":\"Config\",\"name\":\"c\",\"scope\":\"Namespace\"}}}"))
        .containsExactly("spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'");
    assertThat(updateErrors(classes, valid.replace("berth.io/ingress", "other.io/ingress"), valid))
        .containsExactly("spec.controller: Invalid value: \"other.io/ingress\": field is immutable");
  }
}
