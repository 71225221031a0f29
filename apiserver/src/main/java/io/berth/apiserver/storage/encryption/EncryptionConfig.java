package io.berth.apiserver.storage.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-apiserver's {@code --encryption-provider-config}: an EncryptionConfiguration
 * (apiserver.config.k8s.io/v1) listing, per resource, the providers in order. The first
 * provider encrypts what is written; every one listed may decrypt what is read. Berth
 * supports the {@code aesgcm} and {@code identity} providers (aescbc, kms and secretbox are
 * refused by name).
 *
 * <pre>
 * apiVersion: apiserver.config.k8s.io/v1
 * kind: EncryptionConfiguration
 * resources:
 * - resources: [secrets]
 *   providers:
 *   - aesgcm:
 *       keys:
 *       - name: key1
 *         secret: BASE64-OF-16-24-OR-32-BYTES
 *   - identity: {}
 * </pre>
 */
public final class EncryptionConfig {
  private static final Set<String> UNSUPPORTED = Set.of("aescbc", "secretbox", "kms");

  private EncryptionConfig() {}

  /**
   * The transformers by resource ("secrets", "configmaps", ...), from the file.
   *
   * @throws IllegalArgumentException naming what is wrong in the file
   */
  public static Map<String, ValueTransformer> read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  static Map<String, ValueTransformer> parse(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not YAML: " + e.getOriginalMessage());
    }
    if (root == null || !"EncryptionConfiguration".equals(root.path("kind").asText())) {
      throw new IllegalArgumentException("kind must be EncryptionConfiguration");
    }
    Map<String, ValueTransformer> byResource = new LinkedHashMap<>();
    JsonNode entries = root.path("resources");
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      String at = "resources[" + i + "]";
      List<ValueTransformer.Provider> providers = new ArrayList<>();
      JsonNode given = entry.path("providers");
      if (given.isEmpty()) {
        throw new IllegalArgumentException(at + ".providers: at least one provider is required");
      }
      for (int p = 0; p < given.size(); p++) {
        providers.add(provider(given.get(p), at + ".providers[" + p + "]"));
      }
      ValueTransformer transformer = new ValueTransformer(providers);
      for (JsonNode resource : entry.path("resources")) {
        // "secrets" or "secrets." (the core group spelt out), as Kubernetes accepts both.
        String name = resource.asText().endsWith(".") ? resource.asText().substring(0, resource.asText().length() - 1)
            : resource.asText();
        if (byResource.put(name, transformer) != null) {
          throw new IllegalArgumentException(at + ".resources: " + name + " is listed twice");
        }
      }
    }
    return byResource;
  }

  private static ValueTransformer.Provider provider(JsonNode node, String at) {
    if (node.size() != 1) {
      throw new IllegalArgumentException(at + ": exactly one provider type per entry");
    }
    String type = node.fieldNames().next();
    if (type.equals("identity")) {
      return ValueTransformer.Provider.identity();
    }
    if (UNSUPPORTED.contains(type)) {
      throw new IllegalArgumentException(at + ": provider " + type + " is not supported by Berth (use aesgcm or "
          + "identity)");
    }
    if (!type.equals("aesgcm")) {
      throw new IllegalArgumentException(at + ": unknown provider " + type);
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    JsonNode list = node.path(type).path("keys");
    if (list.isEmpty()) {
      throw new IllegalArgumentException(at + ".aesgcm.keys: at least one key is required");
    }
    for (int k = 0; k < list.size(); k++) {
      String name = list.get(k).path("name").asText("");
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(list.get(k).path("secret").asText(""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".aesgcm.keys[" + k + "].secret: not base64");
      }
      if (name.isEmpty() || name.contains(":")) {
        throw new IllegalArgumentException(at + ".aesgcm.keys[" + k + "].name: required, without ':'");
      }
      if (secret.length != 16 && secret.length != 24 && secret.length != 32) {
        throw new IllegalArgumentException(at + ".aesgcm.keys[" + k + "].secret: must be 16, 24 or 32 bytes, is "
            + secret.length);
      }
      if (keys.put(name, secret) != null) {
        throw new IllegalArgumentException(at + ".aesgcm.keys[" + k + "].name: " + name + " is listed twice");
      }
    }
    return ValueTransformer.Provider.aesGcm(keys);
  }
}
