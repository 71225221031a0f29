package io.berth.apiserver.patch;

import static io.berth.apiserver.patch.JsonPatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.rest.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The entry point: dispatch on Content-Type, options, and the errors kube-apiserver gives. */
class PatchesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
  private static final String POD = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},"
      + "'spec':{'containers':[{'name':'a','image':'x'}]}}";

  @Test
  void eachContentTypeSelectsItsPatchType() throws Exception {
    String containers = "{'spec':{'containers':[{'name':'b','image':'y'}]}}";
    assertThat(patch("application/strategic-merge-patch+json", containers, null).at("/spec/containers")).hasSize(2);
    assertThat(patch("application/merge-patch+json", containers, null).at("/spec/containers")).hasSize(1);
    assertThat(patch("application/json-patch+json; charset=utf-8",
        "[{'op':'add','path':'/spec/containers/-','value':{'name':'c'}}]", null).at("/spec/containers")).hasSize(2);
  }

  @Test
  void anUnknownContentTypeIsUnsupportedMediaType() {
    assertThatThrownBy(() -> patch("application/xml", "<x/>", null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(415));
  }

  @Test
  void jsonPatchTestOperationFailureIsInvalid() {
    assertThatThrownBy(() -> patch("application/json-patch+json",
        "[{'op':'test','path':'/spec/containers/0/image','value':'other'}]", null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.reason()).isEqualTo("Invalid");
          assertThat(e.causes()).singleElement().satisfies(c ->
              assertThat(c.message()).isEqualTo("testing value /spec/containers/0/image failed: test failed"));
        });
  }

  @Test
  void jsonPatchThatIsNotAListIsABadRequest() {
    assertThatThrownBy(() -> patch("application/json-patch+json", "{'op':'remove','path':'/spec'}", null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void aBodyThatIsNotJsonIsABadRequest() {
    assertThatThrownBy(() -> patch("application/strategic-merge-patch+json", "{not json", null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void applyWithoutFieldManagerIsInvalid() {
    assertThatThrownBy(() -> patch("application/apply-patch+yaml", POD, null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: "
              + "fieldManager: Required value: is required for apply patch");
        });
  }

  @Test
  void forceOnAnotherPatchTypeIsInvalid() {
    assertThatThrownBy(() -> Patches.apply(request("application/merge-patch+json", "{}", "m", true)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
  }

  @Test
  void aPatchWithAFieldManagerRecordsAnUpdateEntry() throws Exception {
    JsonNode patched = patch("application/strategic-merge-patch+json", "{'metadata':{'labels':{'a':'b'}}}", "kubectl-patch");
    JsonNode entry = patched.at("/metadata/managedFields/0");
    assertThat(entry.get("manager").asText()).isEqualTo("kubectl-patch");
    assertThat(entry.get("operation").asText()).isEqualTo("Update");
    assertThat(entry.get("fieldsV1")).isEqualTo(json("{'f:metadata':{'f:labels':{'f:a':{}}}}"));
  }

  @Test
  void theDefaultFieldManagerIsTheUserAgentsProduct() {
    assertThat(Patches.defaultFieldManager("kubectl/v1.33.0 (linux/amd64) kubernetes/abc")).isEqualTo("kubectl");
    assertThat(Patches.defaultFieldManager(null)).isEqualTo("unknown");
  }

  private static JsonNode patch(String contentType, String body, String manager) {
    return Patches.apply(request(contentType, body, manager, false));
  }

  private static PatchRequest request(String contentType, String body, String manager, boolean force) {
    try {
      return new PatchRequest(contentType, json(POD), body.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "v1",
          "Pod", PatchSchemas.forKind("v1", "Pod"), manager, force, CLOCK);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
