package io.berth.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.rest.ObjectCodec;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {
  private final UnknownFields unknownFields = new UnknownFields(KubernetesDefinitions.shared());

  @Test
  void aValidDeploymentHasNone() throws IOException {
    assertThat(find("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"any":"label"},
          "annotations":{"a":"b"}},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx",
            "ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"1"}}}]}}}}""", "io.k8s.api.apps.v1.Deployment"))
        .isEmpty();
  }

  @Test
  void unknownFieldsAreNamedByPathInDocumentOrder() throws IOException {
    assertThat(find("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","colour":"red"},
         "spec":{"replica":1,"template":{"spec":{"containers":[{"name":"c","image":"nginx"},
           {"name":"d","imagee":"nginx"}]}}}}""", "io.k8s.api.apps.v1.Deployment"))
        .containsExactly("metadata.colour", "spec.replica", "spec.template.spec.containers[1].imagee");
  }

  @Test
  void openObjectsTakeAnything() throws IOException {
    // managedFields[].fieldsV1 is free-form JSON.
    assertThat(find("""
        {"metadata":{"managedFields":[{"manager":"m","fieldsV1":{"f:data":{"f:x":{}}}}]}}""",
        "io.k8s.api.core.v1.ConfigMap")).isEmpty();
  }

  private java.util.List<String> find(String json, String definition) throws IOException {
    return unknownFields.find(ObjectCodec.JSON.readTree(json), definition);
  }
}
