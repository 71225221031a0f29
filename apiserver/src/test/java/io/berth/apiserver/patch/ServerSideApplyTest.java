package io.berth.apiserver.patch;

import static io.berth.apiserver.patch.JsonPatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.berth.apiserver.rest.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Server-side apply through {@link Patches}, as kubectl apply --server-side drives it. */
class ServerSideApplyTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00.250Z"), ZoneOffset.UTC);
  private static final String APPLY = "application/apply-patch+yaml";

  private static final String NGINX = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels:
          app: web
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: web
        template:
          spec:
            containers:
            - name: nginx
              image: nginx:1.27
              ports:
              - containerPort: 80
      """;

  @Test
  void applyToAMissingObjectCreatesItAndRecordsTheAppliersFields() throws Exception {
    JsonNode created = apply(null, NGINX, "kubectl", false);

    assertThat(created.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
    JsonNode entry = created.at("/metadata/managedFields/0");
    assertThat(entry.get("manager").asText()).isEqualTo("kubectl");
    assertThat(entry.get("operation").asText()).isEqualTo("Apply");
    assertThat(entry.get("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(entry.get("time").asText()).isEqualTo("2025-03-01T10:00:00Z");
    assertThat(entry.get("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(entry.get("fieldsV1")).isEqualTo(json("{'f:metadata':{'f:labels':{'f:app':{}}},"
        + "'f:spec':{'f:replicas':{},'f:selector':{},'f:template':{'f:spec':{'f:containers':{"
        + "'k:{\\\"name\\\":\\\"nginx\\\"}':{'.':{},'f:image':{},'f:name':{},'f:ports':{"
        + "'k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}':{'.':{},'f:containerPort':{}}}}}}}}}"));
  }

  @Test
  void changingAFieldAnotherManagerOwnsIsAConflictNamingFieldAndManager() throws Exception {
    JsonNode live = update(null, NGINX.replace("replicas: 3", "replicas: 1"), "kubectl-client-side-apply");

    assertThatThrownBy(() -> apply(live, NGINX, "mgr", false))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.reason()).isEqualTo("Conflict");
          assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
              + "\"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
          assertThat(e.causes()).containsExactly(new ApiException.Cause("FieldManagerConflict",
              "conflict with \"kubectl-client-side-apply\" using apps/v1", ".spec.replicas"));
        });
  }

  @Test
  void severalConflictsAreListedPerManager() throws Exception {
    JsonNode live = update(null, NGINX.replace("replicas: 3", "replicas: 1").replace("nginx:1.27", "nginx:1.25"),
        "kubectl-edit");

    assertThatThrownBy(() -> apply(live, NGINX, "mgr", false))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("Apply failed with 2 conflicts: conflicts with \"kubectl-edit\" "
              + "using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image");
          assertThat(e.causes()).extracting(ApiException.Cause::field).containsExactlyInAnyOrder(
              ".spec.replicas", ".spec.template.spec.containers[name=\"nginx\"].image");
        });
  }

  @Test
  void forceMovesOwnershipToTheApplier() throws Exception {
    JsonNode live = update(null, NGINX.replace("replicas: 3", "replicas: 1"), "kubectl-client-side-apply");

    JsonNode applied = apply(live, NGINX, "mgr", true);

    assertThat(applied.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(entry(applied, "kubectl-client-side-apply").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
    assertThat(entry(applied, "mgr").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
  }

  @Test
  void applyingTheSameValueSharesOwnershipWithoutConflict() throws Exception {
    JsonNode live = update(null, NGINX, "kubectl-client-side-apply");

    JsonNode applied = apply(live, NGINX, "mgr", false);

    assertThat(entry(applied, "kubectl-client-side-apply").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
    assertThat(entry(applied, "mgr").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
  }

  @Test
  void aFieldTheManagerNoLongerAppliesIsRemoved() throws Exception {
    JsonNode live = apply(null, NGINX.replace("app: web\nspec", "app: web\n    tier: front\nspec"), "mgr", false);
    assertThat(live.at("/metadata/labels/tier").asText()).isEqualTo("front");

    JsonNode applied = apply(live, NGINX, "mgr", false);

    assertThat(applied.at("/metadata/labels")).isEqualTo(json("{'app':'web'}"));
  }

  @Test
  void aFieldTheManagerNoLongerAppliesStaysWhenAnotherManagerOwnsIt() throws Exception {
    String withTier = NGINX.replace("app: web\nspec", "app: web\n    tier: front\nspec");
    JsonNode live = apply(apply(null, withTier, "mgr", false), withTier, "other", false);

    JsonNode applied = apply(live, NGINX, "mgr", false);

    assertThat(applied.at("/metadata/labels/tier").asText()).isEqualTo("front");
    assertThat(entry(applied, "other").at("/fieldsV1/f:metadata/f:labels").has("f:tier")).isTrue();
  }

  @Test
  void listItemsOfDifferentManagersMergeByKeyAndLeaveWithTheirManager() throws Exception {
    String sidecar = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
              - name: logger
                image: busybox
        """;
    JsonNode both = apply(apply(null, NGINX, "mgr", false), sidecar, "sidecar-injector", false);
    assertThat(both.at("/spec/template/spec/containers")).hasSize(2);

    JsonNode withoutSidecar = apply(both, """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            injected: "false"
        """, "sidecar-injector", false);

    assertThat(withoutSidecar.at("/spec/template/spec/containers")).hasSize(1);
    assertThat(withoutSidecar.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("nginx");
  }

  @Test
  void anUpdateTakesFieldsAwaySoTheNextApplyConflicts() throws Exception {
    JsonNode live = apply(null, NGINX, "mgr", false);
    JsonNode scaled = Patches.apply(new PatchRequest("application/merge-patch+json", live,
        "{\"spec\":{\"replicas\":5}}".getBytes(StandardCharsets.UTF_8), "apps/v1", "Deployment",
        PatchSchemas.forKind("apps/v1", "Deployment"), "kubectl-scale", false, CLOCK));

    assertThat(entry(scaled, "mgr").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
    assertThat(entry(scaled, "kubectl-scale").get("operation").asText()).isEqualTo("Update");
    assertThatThrownBy(() -> apply(scaled, NGINX, "mgr", false))
        .hasMessage("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas");
  }

  @Test
  void setListValuesAreOwnedOneByOne() throws Exception {
    String withFinalizer = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  finalizers: [example.com/a]\n";
    JsonNode live = apply(null, withFinalizer, "a", false, "v1", "ConfigMap");
    JsonNode both = apply(live, withFinalizer.replace("example.com/a", "example.com/b"), "b", false, "v1", "ConfigMap");

    assertThat(both.at("/metadata/finalizers")).isEqualTo(json("['example.com/a','example.com/b']"));
    assertThat(entry(both, "b").at("/fieldsV1/f:metadata/f:finalizers")).isEqualTo(json("{'v:\\\"example.com/b\\\"':{}}"));
  }

  @Test
  void aJsonBodyIsAcceptedAsApplyConfiguration() throws Exception {
    JsonNode created = apply(null, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
        + "\"data\":{\"k\":\"v\"}}", "m", false, "v1", "ConfigMap");
    assertThat(created.at("/data/k").asText()).isEqualTo("v");
  }

  @Test
  void anApplyConfigurationOfAnotherKindIsABadRequest() {
    assertThatThrownBy(() -> apply(null, NGINX, "m", false, "v1", "ConfigMap"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  private static JsonNode entry(JsonNode object, String manager) {
    for (JsonNode e : object.at("/metadata/managedFields")) {
      if (e.get("manager").asText().equals(manager)) {
        return e;
      }
    }
    throw new AssertionError("no managedFields entry for " + manager + " in " + object);
  }

  private static JsonNode apply(JsonNode live, String yaml, String manager, boolean force) {
    return apply(live, yaml, manager, force, "apps/v1", "Deployment");
  }

  private static JsonNode apply(JsonNode live, String yaml, String manager, boolean force, String apiVersion,
      String kind) {
    return Patches.apply(new PatchRequest(APPLY, live, yaml.getBytes(StandardCharsets.UTF_8), apiVersion, kind,
        PatchSchemas.forKind(apiVersion, kind), manager, force, CLOCK));
  }

  /** The object {@code yaml} describes as written by a create or update of {@code manager}. */
  private static JsonNode update(JsonNode old, String yaml, String manager) throws Exception {
    var updated = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml);
    Patches.recordUpdate(old == null ? JsonNodeFactory.instance.objectNode() : old, updated, manager,
        PatchSchemas.forKind("apps/v1", "Deployment"), CLOCK);
    return updated;
  }
}
