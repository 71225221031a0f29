package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusesTest {
  private final ResourceTable table = ResourceTable.builtIn();
  private final ResourceType deployments = table.find("apps", "v1", "deployments").orElseThrow();
  private final ResourceType configMaps = table.find("", "v1", "configmaps").orElseThrow();

  @Test
  void notFoundIsTheStatusKubectlPrints() {
    JsonNode s = ObjectCodec.toTree(Statuses.toStatus(Statuses.notFound(deployments, "web")));
    assertThat(s.get("kind").asText()).isEqualTo("Status");
    assertThat(s.get("apiVersion").asText()).isEqualTo("v1");
    assertThat(s.get("status").asText()).isEqualTo("Failure");
    assertThat(s.get("message").asText()).isEqualTo("deployments.apps \"web\" not found");
    assertThat(s.get("reason").asText()).isEqualTo("NotFound");
    assertThat(s.get("code").asInt()).isEqualTo(404);
    assertThat(s.at("/details/name").asText()).isEqualTo("web");
    assertThat(s.at("/details/group").asText()).isEqualTo("apps");
    assertThat(s.at("/details/kind").asText()).isEqualTo("deployments");
  }

  @Test
  void coreGroupDetailsCarryNoGroup() {
    JsonNode s = ObjectCodec.toTree(Statuses.toStatus(Statuses.alreadyExists(configMaps, "c")));
    assertThat(s.get("code").asInt()).isEqualTo(409);
    assertThat(s.get("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(s.get("message").asText()).isEqualTo("configmaps \"c\" already exists");
    assertThat(s.get("details").has("group")).isFalse();
  }

  @Test
  void conflictWordsItAsKubernetesDoes() {
    ApiException e = Statuses.conflict(configMaps, "c");
    assertThat(e.code()).isEqualTo(409);
    assertThat(e.reason()).isEqualTo("Conflict");
    assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"c\": the object has been "
        + "modified; please apply your changes to the latest version and try again");
  }

  @Test
  void errorsWithoutAnObjectHaveNoDetails() {
    JsonNode s = ObjectCodec.toTree(Statuses.toStatus(Statuses.badRequest("bad")));
    assertThat(s.get("code").asInt()).isEqualTo(400);
    assertThat(s.get("reason").asText()).isEqualTo("BadRequest");
    assertThat(s.has("details")).isFalse();
  }

  @Test
  void causesTravelInDetails() {
    JsonNode s = ObjectCodec.toTree(Statuses.toStatus(Statuses.applyConflict("Apply failed with 1 conflict: ...",
        java.util.List.of(new ApiException.Cause("FieldManagerConflict", "conflict with \"kubectl\"", ".spec.replicas")))));
    assertThat(s.get("code").asInt()).isEqualTo(409);
    assertThat(s.get("reason").asText()).isEqualTo("Conflict");
    assertThat(s.at("/details/causes/0/reason").asText()).isEqualTo("FieldManagerConflict");
    assertThat(s.at("/details/causes/0/message").asText()).isEqualTo("conflict with \"kubectl\"");
    assertThat(s.at("/details/causes/0/field").asText()).isEqualTo(".spec.replicas");
  }

  @Test
  void invalidOptionsAreWordedAsKubernetesWordsThem() {
    ApiException e = Statuses.invalidOptions("PatchOptions", java.util.List.of(new ApiException.Cause(
        "FieldValueRequired", "Required value: is required for apply patch", "fieldManager")));
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo(
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
  }

  @Test
  void invalidCarriesItsCausesAndQualifiesTheKindWithItsGroup() {
    ApiException e = Statuses.invalid(deployments, "web", List.of(
        new ApiException.Cause("FieldValueRequired", "Required value", "spec.selector"),
        new ApiException.Cause("FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0",
            "spec.replicas")));
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo("Deployment.apps \"web\" is invalid: [spec.selector: Required value, "
        + "spec.replicas: Invalid value: -1: must be greater than or equal to 0]");
    JsonNode s = ObjectCodec.toTree(Statuses.toStatus(e));
    assertThat(s.at("/details/kind").asText()).isEqualTo("Deployment");
    assertThat(s.at("/details/causes/1/field").asText()).isEqualTo("spec.replicas");
    assertThat(s.at("/details/causes/1/reason").asText()).isEqualTo("FieldValueInvalid");
    assertThat(Statuses.invalid(configMaps, "c", "x").getMessage()).isEqualTo("ConfigMap \"c\" is invalid: x");
  }
}
