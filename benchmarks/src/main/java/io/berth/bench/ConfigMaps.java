package io.berth.bench;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The objects the API rows write: small, realistic ConfigMaps (a label and one data
 * entry of {@link #PAYLOAD_CHARS} characters, the size of bench-store's values), as JSON
 * bodies; and the one field the benchmark reads back from replies, resourceVersion.
 */
final class ConfigMaps {
  static final int PAYLOAD_CHARS = 256;
  private static final String PAYLOAD = "x".repeat(PAYLOAD_CHARS);
  private static final Pattern RESOURCE_VERSION = Pattern.compile("\"resourceVersion\"\\s*:\\s*\"(\\d+)\"");

  private ConfigMaps() {
  }

  /** A ConfigMap named {@code name}; with {@code resourceVersion} > 0 an update is conditioned on it. */
  static byte[] body(String name, long resourceVersion, String value) {
    String rv = resourceVersion > 0 ? ",\"resourceVersion\":\"" + resourceVersion + "\"" : "";
    return ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"" + rv
        + ",\"labels\":{\"app\":\"bench-api\"}},\"data\":{\"value\":\"" + value + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] body(String name) {
    return body(name, 0, PAYLOAD);
  }

  /** A payload of the usual size that starts with {@code head}, so that every update changes the object. */
  static String payload(Object head) {
    String value = head + "-" + PAYLOAD;
    return value.substring(0, Math.max(PAYLOAD_CHARS, head.toString().length()));
  }

  static byte[] namespace(String name) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The first resourceVersion in a JSON reply: an object's own, or a list's (a list's
   * metadata comes before its items), or 0 when there is none.
   */
  static long resourceVersion(String json) {
    Matcher m = RESOURCE_VERSION.matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  static String collection(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/configmaps";
  }

  static String object(String namespace, String name) {
    return collection(namespace) + "/" + name;
  }

  /** The store key the API keeps a ConfigMap under (apiserver's StorageKeys). */
  static String storageKey(String namespace, String name) {
    return storagePrefix(namespace) + name;
  }

  static String storagePrefix(String namespace) {
    return "/registry/core/configmaps/" + namespace + "/";
  }
}
