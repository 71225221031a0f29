package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.object;
import static io.berth.apiserver.validation.Objects.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.Statuses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private final ResourceType deployments = type("apps", "deployments");
  private final ResourceType pods = type("", "pods");

  @Test
  void anInvalidObjectIsA422WordedAsKubeApiserverWordsIt() {
    HasMetadata deployment = object(deployments, """
        {"metadata":{"name":"web","namespace":"default"},
         "spec":{"replicas":-1,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
    assertThatThrownBy(() -> Validation.validateCreate(deployments, deployment))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: "
              + "must be greater than or equal to 0");
          JsonNode status = ObjectCodec.toTree(Statuses.toStatus(e));
          assertThat(status.get("reason").asText()).isEqualTo("Invalid");
          assertThat(status.at("/details/name").asText()).isEqualTo("web");
          assertThat(status.at("/details/group").asText()).isEqualTo("apps");
          assertThat(status.at("/details/kind").asText()).isEqualTo("Deployment");
          assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("FieldValueInvalid");
          assertThat(status.at("/details/causes/0/field").asText()).isEqualTo("spec.replicas");
          assertThat(status.at("/details/causes/0/message").asText())
              .isEqualTo("Invalid value: -1: must be greater than or equal to 0");
        });
  }

  @Test
  void severalErrorsAreListedInBracketsInOneMessage() {
    HasMetadata pod = object(pods, """
        {"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{}]}}""");
    assertThatThrownBy(() -> Validation.validateCreate(pods, pod))
        .hasMessage("Pod \"p\" is invalid: [spec.containers[0].name: Required value, "
            + "spec.containers[0].image: Required value]")
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.causes())
            .extracting(ApiException.Cause::reason).containsExactly("FieldValueRequired", "FieldValueRequired"));
  }

  @Test
  void aValidObjectPasses() {
    assertThatCode(() -> Validation.validateCreate(pods, object(pods, """
        {"metadata":{"name":"p","namespace":"default","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}]}]}}""")))
        .doesNotThrowAnyException();
  }

  @Test
  void kindsWithoutRulesOfTheirOwnStillHaveTheirMetadataChecked() {
    ResourceType configMaps = type("", "configmaps");
    assertThat(Objects.errors(configMaps, "{\"metadata\":{\"name\":\"Bad_Name\",\"namespace\":\"default\"}}"))
        .singleElement().asString().startsWith("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
  }

  @Test
  void updatesRunTheCreateRulesToo() {
    String old = """
        {"metadata":{"name":"p","namespace":"default","uid":"u1"},"spec":{"containers":[{"name":"c","image":"a:1"}]}}""";
    String bad = """
        {"metadata":{"name":"p","namespace":"default","uid":"u1","labels":{"a":"-x"}},
         "spec":{"containers":[{"name":"c","image":"a:1"}]}}""";
    assertThat(Objects.updateErrors(pods, bad, old)).singleElement().asString().startsWith("metadata.labels: Invalid value: \"-x\"");
  }
}
