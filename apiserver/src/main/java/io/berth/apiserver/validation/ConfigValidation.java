package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ConfigMaps and Secrets: keys that can become file names, at most 1 MiB of data (an
 * object must fit in one store entry), the keys each well-known Secret type promises its
 * consumers, and the "immutable" flag, which freezes the data for good.
 */
final class ConfigValidation {
  static final int MAX_DATA_BYTES = 1024 * 1024;
  private static final FieldPath DATA = FieldPath.root("data");
  private static final FieldPath IMMUTABLE_FLAG = FieldPath.root("immutable");
  private static final String FROZEN = "field is immutable when `immutable` is set";

  /** The data keys each built-in Secret type must carry (basic-auth needs one of its two). */
  private static final Map<String, List<String>> REQUIRED_KEYS = Map.of(
      "kubernetes.io/tls", List.of("tls.crt", "tls.key"),
      "kubernetes.io/ssh-auth", List.of("ssh-privatekey"),
      "kubernetes.io/dockercfg", List.of(".dockercfg"),
      "kubernetes.io/dockerconfigjson", List.of(".dockerconfigjson"));

  private ConfigValidation() {}

  static void configMap(ConfigMap configMap, Errors errors) {
    Map<String, String> data = orEmpty(configMap.getData());
    Map<String, String> binary = orEmpty(configMap.getBinaryData());
    long total = 0;
    for (Map.Entry<String, String> e : data.entrySet()) {
      errors.invalid(DATA, e.getKey(), Syntax.configKey(e.getKey()));
      total += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    for (Map.Entry<String, String> e : binary.entrySet()) {
      errors.invalid(FieldPath.root("binaryData"), e.getKey(), Syntax.configKey(e.getKey()));
      if (data.containsKey(e.getKey())) {
        errors.invalid(FieldPath.root("binaryData"), e.getKey(), "duplicate of key present in data");
      }
      total += decodedLength(e.getValue());
    }
    if (total > MAX_DATA_BYTES) {
      errors.tooLong(FieldPath.root(""), MAX_DATA_BYTES);
    }
  }

  static void configMapUpdate(ConfigMap updated, ConfigMap old, Errors errors) {
    if (Boolean.TRUE.equals(old.getImmutable())) {
      if (!Boolean.TRUE.equals(updated.getImmutable())) {
        errors.forbidden(IMMUTABLE_FLAG, FROZEN);
      }
      if (!Objects.equals(orEmpty(updated.getData()), orEmpty(old.getData()))) {
        errors.forbidden(DATA, FROZEN);
      }
      if (!Objects.equals(orEmpty(updated.getBinaryData()), orEmpty(old.getBinaryData()))) {
        errors.forbidden(FieldPath.root("binaryData"), FROZEN);
      }
    }
  }

  static void secret(Secret secret, Errors errors) {
    Map<String, String> data = orEmpty(secret.getData());
    long total = 0;
    for (Map.Entry<String, String> e : data.entrySet()) {
      errors.invalid(DATA, e.getKey(), Syntax.configKey(e.getKey()));
      total += decodedLength(e.getValue());
    }
    if (total > MAX_DATA_BYTES) {
      errors.tooLong(DATA, MAX_DATA_BYTES);
    }
    String type = secret.getType() == null ? "" : secret.getType();
    for (String key : REQUIRED_KEYS.getOrDefault(type, List.of())) {
      if (!data.containsKey(key)) {
        errors.required(DATA.key(key), "");
      }
    }
    if (type.equals("kubernetes.io/basic-auth") && !data.containsKey("username") && !data.containsKey("password")) {
      errors.required(DATA.key("username"), "");
      errors.required(DATA.key("password"), "");
    }
    if (type.equals("kubernetes.io/service-account-token")) {
      Map<String, String> annotations = secret.getMetadata() == null ? Map.of() : orEmpty(secret.getMetadata().getAnnotations());
      if (MetadataValidation.isEmpty(annotations.get("kubernetes.io/service-account.name"))) {
        errors.required(FieldPath.root("metadata").child("annotations").key("kubernetes.io/service-account.name"), "");
      }
    }
  }

  /** A Secret's type decides how consumers read it, so it never changes. */
  static void secretUpdate(Secret updated, Secret old, Errors errors) {
    MetadataValidation.immutable(FieldPath.root("type"), updated.getType(), old.getType(), errors);
    if (Boolean.TRUE.equals(old.getImmutable())) {
      if (!Boolean.TRUE.equals(updated.getImmutable())) {
        errors.forbidden(IMMUTABLE_FLAG, FROZEN);
      }
      if (!Objects.equals(orEmpty(updated.getData()), orEmpty(old.getData()))) {
        errors.forbidden(DATA, FROZEN);
      }
    }
  }

  /** Base64 that does not decode is counted as written; the codec reports it elsewhere. */
  private static long decodedLength(String base64) {
    if (base64 == null) {
      return 0;
    }
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length();
    }
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
