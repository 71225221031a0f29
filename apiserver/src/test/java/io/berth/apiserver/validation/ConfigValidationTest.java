package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.errors;
import static io.berth.apiserver.validation.Objects.type;
import static io.berth.apiserver.validation.Objects.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.registry.ResourceType;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {
  private final ResourceType configMaps = type("", "configmaps");
  private final ResourceType secrets = type("", "secrets");
  private static final String META = "\"metadata\":{\"name\":\"c\",\"namespace\":\"default\"}";

  @Test
  void configMapKeysAreFileNamesAndNotInBothDataAndBinaryData() {
    assertThat(errors(configMaps, "{" + META + ",\"data\":{\"a/b\":\"x\",\"ok.txt\":\"y\"},\"binaryData\":{\"ok.txt\":\"eQ==\"}}"))
        .hasSize(2)
        .contains("binaryData: Invalid value: \"ok.txt\": duplicate of key present in data")
        .anySatisfy(e -> assertThat(e).startsWith("data: Invalid value: \"a/b\": a valid config key"));
  }

  @Test
  void dataIsAtMostOneMebibyte() {
    assertThat(errors(configMaps, "{" + META + ",\"data\":{\"big\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}}"))
        .containsExactly(": Too long: must have at most 1048576 bytes");
    String big = Base64.getEncoder().encodeToString(new byte[1024 * 1024 + 1]);
    assertThat(errors(secrets, "{" + META + ",\"data\":{\"big\":\"" + big + "\"}}"))
        .containsExactly("data: Too long: must have at most 1048576 bytes");
  }

  @Test
  void wellKnownSecretTypesCarryTheirKeys() {
    assertThat(errors(secrets, "{" + META + ",\"type\":\"kubernetes.io/tls\",\"data\":{\"tls.crt\":\"eA==\"}}"))
        .containsExactly("data[tls.key]: Required value");
    assertThat(errors(secrets, "{" + META + ",\"type\":\"kubernetes.io/basic-auth\"}"))
        .containsExactly("data[username]: Required value", "data[password]: Required value");
    assertThat(errors(secrets, "{" + META + ",\"type\":\"kubernetes.io/service-account-token\"}"))
        .containsExactly("metadata.annotations[kubernetes.io/service-account.name]: Required value");
    assertThat(errors(secrets, "{" + META + ",\"type\":\"example.com/custom\",\"data\":{\"..x\":\"eA==\"}}"))
        .containsExactly("data: Invalid value: \"..x\": must not start with '..'");
  }

  @Test
  void aSecretsTypeNeverChanges() {
    assertThat(updateErrors(secrets, "{" + META + ",\"type\":\"example.com/other\"}", "{" + META + "}"))
        .containsExactly("type: Invalid value: \"example.com/other\": field is immutable");
  }

  @Test
  void immutableDataIsFrozenForGood() {
    String old = "{" + META + ",\"immutable\":true,\"data\":{\"a\":\"1\"}}";
    assertThat(updateErrors(configMaps, "{" + META + ",\"immutable\":true,\"data\":{\"a\":\"2\"}}", old))
        .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
    assertThat(updateErrors(configMaps, "{" + META + ",\"data\":{\"a\":\"1\"}}", old))
        .containsExactly("immutable: Forbidden: field is immutable when `immutable` is set");
    assertThat(updateErrors(configMaps, "{" + META + ",\"immutable\":true,\"data\":{\"a\":\"1\"},"
        + "\"metadata\":{\"name\":\"c\",\"namespace\":\"default\",\"labels\":{\"x\":\"y\"}}}", old)).isEmpty();
  }
}
