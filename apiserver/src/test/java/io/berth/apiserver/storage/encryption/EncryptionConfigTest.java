package io.berth.apiserver.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EncryptionConfigTest {
  static final String KEY1 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  static final String KEY2 = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

  static String config(String... keys) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
        - resources: [secrets]
          providers:
          - aesgcm:
              keys:
        """);
    for (String key : keys) {
      String[] nameAndSecret = key.split("=", 2);
      yaml.append("          - name: ").append(nameAndSecret[0]).append("\n            secret: ")
          .append(nameAndSecret[1]).append('\n');
    }
    return yaml.append("  - identity: {}\n").toString();
  }

  @Test
  void theFirstKeyEncryptsWithKubernetesPrefixAndEveryListedKeyDecrypts() {
    ValueTransformer old = EncryptionConfig.parse(config("key1=" + KEY1)).get("secrets");
    ValueTransformer rotated = EncryptionConfig.parse(config("key2=" + KEY2, "key1=" + KEY1)).get("secrets");
    byte[] plain = "{\"data\":{\"p\":\"aHVudGVyMg==\"}}".getBytes(StandardCharsets.UTF_8);
    byte[] stored = old.toStorage("/registry/core/secrets/default/s", plain);
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).startsWith("k8s:enc:aesgcm:v1:key1:")
        .doesNotContain("aHVudGVyMg==");
    assertThat(rotated.fromStorage("/registry/core/secrets/default/s", stored)).isEqualTo(plain);
    assertThat(new String(rotated.toStorage("/registry/core/secrets/default/s", plain), StandardCharsets.ISO_8859_1))
        .startsWith("k8s:enc:aesgcm:v1:key2:");
    // Plaintext written before encryption was configured is read through identity.
    assertThat(old.fromStorage("/registry/core/secrets/default/s", plain)).isEqualTo(plain);
  }

  @Test
  void aValueReadWithoutItsKeyOrUnderAnotherStoreKeyIsRefusedClearly() {
    ValueTransformer one = EncryptionConfig.parse(config("key1=" + KEY1)).get("secrets");
    ValueTransformer other = EncryptionConfig.parse(config("key2=" + KEY2)).get("secrets");
    byte[] stored = one.toStorage("/registry/core/secrets/default/s", "x".getBytes());
    assertThatThrownBy(() -> other.fromStorage("/registry/core/secrets/default/s", stored))
        .hasMessage("/registry/core/secrets/default/s is encrypted with aesgcm key \"key1\", which the encryption "
            + "provider config does not list");
    assertThatThrownBy(() -> one.fromStorage("/registry/core/secrets/default/moved", stored))
        .hasMessage("/registry/core/secrets/default/moved does not decrypt with aesgcm key \"key1\"");
  }

  @Test
  void malformedConfigsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> EncryptionConfig.parse(config("key1=c2hvcnQ=")))
        .hasMessage("resources[0].providers[0].aesgcm.keys[0].secret: must be 16, 24 or 32 bytes, is 5");
    assertThatThrownBy(() -> EncryptionConfig.parse(config("key1=" + KEY1).replace("aesgcm", "aescbc")))
        .hasMessage("resources[0].providers[0]: provider aescbc is not supported by Berth (use aesgcm or identity)");
    assertThatThrownBy(() -> EncryptionConfig.parse("kind: Other\n")).hasMessage("kind must be EncryptionConfiguration");
  }
}
