package io.berth.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiV3Test {
  private final ResourceTable table = ResourceTable.builtIn();
  private final OpenApiV3 openApi = new OpenApiV3(table);

  @Test
  void theIndexListsEveryGroupVersionWithItsHash() throws IOException {
    JsonNode index = json(openApi.answer("/openapi/v3", Map.of()).orElseThrow());
    assertThat(index.get("paths").properties()).extracting(Map.Entry::getKey)
        .containsExactly("api/v1", "apis/apps/v1", "apis/networking.k8s.io/v1", "apis/coordination.k8s.io/v1",
            "apis/rbac.authorization.k8s.io/v1", "apis/authorization.k8s.io/v1");
    assertThat(index.at("/paths/apis~1apps~1v1/serverRelativeURL").asText())
        .matches("/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}");
  }

  @Test
  void everyKindInTheTableHasATaggedSchemaWithDescriptionsAndWhatItReferences() throws IOException {
    JsonNode core = json(openApi.answer("/openapi/v3/api/v1", Map.of()).orElseThrow());
    assertThat(core.get("openapi").asText()).startsWith("3.0");
    JsonNode schemas = core.at("/components/schemas");
    for (ResourceType type : table.inGroupVersion("", "v1")) {
      JsonNode schema = schemas.get("io.k8s.api.core.v1." + type.kind());
      assertThat(schema).as(type.kind()).isNotNull();
      assertThat(schema.get("x-kubernetes-group-version-kind").toString())
          .isEqualTo("[{\"group\":\"\",\"version\":\"v1\",\"kind\":\"" + type.kind() + "\"}]");
      assertThat(schema.get("description").asText()).isNotEmpty();
      assertThat(schemas.has("io.k8s.api.core.v1." + type.kind() + "List")).isTrue();
    }
    JsonNode pod = schemas.get("io.k8s.api.core.v1.Pod");
    assertThat(pod.get("description").asText()).startsWith("Pod is a collection of containers");
    // A reference with a description is wrapped in allOf, as kube-openapi serves it.
    assertThat(pod.at("/properties/metadata/allOf/0/$ref").asText())
        .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(pod.at("/properties/metadata/description").asText()).startsWith("Standard object's metadata");
    assertThat(schemas.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
    assertThat(schemas.at("/io.k8s.api.core.v1.Container/properties/image/description").asText())
        .startsWith("Container image name.");
    assertThat(schemas.has("io.k8s.apimachinery.pkg.util.intstr.IntOrString")).isTrue();
    // No kind of another group version, and none of fabric8's own extensions.
    assertThat(schemas.has("io.k8s.api.apps.v1.Deployment")).isFalse();
    assertThat(core.toString()).doesNotContain("x-fabric8-info", "#/definitions/");
  }

  @Test
  void rbacKindsAndAccessReviewsHaveTheirSchemas() throws IOException {
    JsonNode rbac = json(openApi.answer("/openapi/v3/apis/rbac.authorization.k8s.io/v1", Map.of()).orElseThrow())
        .at("/components/schemas");
    for (String kind : List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")) {
      assertThat(rbac.has("io.k8s.api.rbac.v1." + kind)).as(kind).isTrue();
    }
    JsonNode reviews = json(openApi.answer("/openapi/v3/apis/authorization.k8s.io/v1", Map.of()).orElseThrow())
        .at("/components/schemas");
    assertThat(reviews.has("io.k8s.api.authorization.v1.SelfSubjectAccessReview")).isTrue();
  }

  @Test
  void patchOperationsNameTheirKindAndTakeFieldValidation() throws IOException {
    JsonNode apps = json(openApi.answer("/openapi/v3/apis/apps/v1", Map.of()).orElseThrow());
    JsonNode patch = apps.at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");
    assertThat(patch.get("x-kubernetes-group-version-kind").toString())
        .isEqualTo("{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"}");
    assertThat(patch.get("parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(apps.at("/components/schemas/io.k8s.api.apps.v1.Deployment/x-kubernetes-group-version-kind/0/group")
        .asText()).isEqualTo("apps");
    // Namespaces are cluster-scoped: no {namespace} in their paths.
    JsonNode core = json(openApi.answer("/openapi/v3/api/v1", Map.of()).orElseThrow());
    assertThat(core.at("/paths/~1api~1v1~1namespaces~1{name}/patch").isObject()).isTrue();
  }

  @Test
  void newRowsInTheTableArePickedUp() throws IOException {
    ResourceTable more = new ResourceTable(List.of(
        new ResourceType("", "v1", "Node", "nodes", "node", false, List.of("no"), ResourceType.CRUD_VERBS, Node.class),
        new ResourceType("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, List.of("rs"),
            ResourceType.CRUD_VERBS, ReplicaSet.class)));
    OpenApiV3 openApi = new OpenApiV3(more);
    JsonNode core = json(openApi.answer("/openapi/v3/api/v1", Map.of()).orElseThrow());
    assertThat(core.at("/components/schemas/io.k8s.api.core.v1.Node/x-kubernetes-group-version-kind/0/kind").asText())
        .isEqualTo("Node");
    assertThat(core.at("/components/schemas/io.k8s.api.core.v1.NodeSpec/properties").size()).isPositive();
    JsonNode apps = json(openApi.answer("/openapi/v3/apis/apps/v1", Map.of()).orElseThrow());
    assertThat(apps.at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1replicasets~1{name}/patch"
        + "/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("ReplicaSet");
  }

  @Test
  void theCurrentHashIsCachedForeverAnOldOneRedirected() throws IOException {
    String url = json(openApi.answer("/openapi/v3", Map.of()).orElseThrow()).at("/paths/api~1v1/serverRelativeURL")
        .asText();
    String hash = url.substring(url.indexOf("hash=") + 5);
    ApiResponse current = openApi.answer("/openapi/v3/api/v1", Map.of("hash", List.of(hash))).orElseThrow();
    assertThat(current.code()).isEqualTo(200);
    assertThat(current.headers()).containsEntry("Cache-Control", "public, immutable")
        .containsEntry("ETag", "\"" + hash + "\"");
    ApiResponse old = openApi.answer("/openapi/v3/api/v1", Map.of("hash", List.of("ABC"))).orElseThrow();
    assertThat(old.code()).isEqualTo(301);
    assertThat(old.headers()).containsEntry("Location", url);
  }

  @Test
  void otherPathsAreNotOpenApi() {
    assertThat(openApi.answer("/openapi/v3/apis/batch/v1", Map.of())).isEmpty();
    assertThat(openApi.answer("/api/v1", Map.of())).isEmpty();
  }

  private static JsonNode json(ApiResponse response) throws IOException {
    assertThat(response.code()).isEqualTo(200);
    return ObjectCodec.JSON.readTree(response.body());
  }
}
