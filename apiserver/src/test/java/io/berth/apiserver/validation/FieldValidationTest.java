package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldValidationTest {
  private final ResourceType deployments = type("apps", "deployments");
  private static final String TYPO = """
      {"metadata":{"name":"web","labels":{"any":"label"},"colour":"red"},
       "spec":{"replicas":1,"foo":true,"selector":{"matchLabels":{"app":"web"}},
        "template":{"spec":{"containers":[{"name":"c","image":"nginx","imagePullPolcy":"Always",
          "resources":{"limits":{"cpu":"1"}}}]}}}}""";

  private static Map<String, List<String>> mode(String value) {
    return Map.of("fieldValidation", List.of(value));
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void strictRefusesUnknownFieldsAtAnyDepthWithTheirPaths() {
    assertThatThrownBy(() -> FieldValidation.check(mode("Strict"), "create", deployments, bytes(TYPO)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.reason()).isEqualTo("BadRequest");
          assertThat(e.getMessage()).isEqualTo("strict decoding error: unknown field \"metadata.colour\", "
              + "unknown field \"spec.foo\", unknown field \"spec.template.spec.containers[0].imagePullPolcy\"");
        });
  }

  @Test
  void warnIsTheDefaultAndReturnsOneWarningPerField() {
    assertThat(FieldValidation.check(Map.of(), "update", deployments, bytes(TYPO))).containsExactly(
        "unknown field \"metadata.colour\"", "unknown field \"spec.foo\"",
        "unknown field \"spec.template.spec.containers[0].imagePullPolcy\"");
    assertThat(FieldValidation.check(mode("Warn"), "update", deployments, bytes(TYPO))).hasSize(3);
  }

  @Test
  void ignoreSaysNothingAndKnownFieldsPassStrict() {
    assertThat(FieldValidation.check(mode("Ignore"), "create", deployments, bytes(TYPO))).isEmpty();
    assertThat(FieldValidation.check(mode("Strict"), "create", deployments, bytes("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","annotations":{"a":"b"}},
         "spec":{"strategy":{"rollingUpdate":{"maxSurge":"25%"}},"template":{"spec":{"containers":[
          {"name":"c","image":"i","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"}]}]}}}}"""))).isEmpty();
  }

  @Test
  void aMergePatchIsCheckedLikeAnObject() {
    assertThat(FieldValidation.check(mode("Warn"), "patch", deployments, bytes("{\"spec\":{\"replica\":3}}")))
        .containsExactly("unknown field \"spec.replica\"");
    assertThat(FieldValidation.check(mode("Strict"), "patch", deployments, bytes("{\"metadata\":{\"labels\":null}}")))
        .isEmpty();
  }

  @Test
  void anUnknownModeIsRefusedAsKubeApiserverRefusesIt() {
    assertThatThrownBy(() -> FieldValidation.check(mode("Loose"), "create", deployments, bytes("{}")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: "
              + "Unsupported value: \"Loose\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        });
  }

  @Test
  void bodiesThatAreNotJsonObjectsAreLeftToTheDecoder() {
    assertThat(FieldValidation.check(mode("Strict"), "create", deployments, bytes("not json"))).isEmpty();
    assertThat(FieldValidation.check(mode("Strict"), "create", deployments, new byte[0])).isEmpty();
  }
}
