package io.berth.apiserver.storage;

import io.berth.apiserver.registry.ResourceType;

/**
 * Where objects live in the store: {@code /registry/<group>/<plural>/<namespace>/<name>}
 * (DESIGN.md, decision 3), with group {@code core} for the legacy group and no
 * namespace segment for cluster-scoped kinds.
 */
public final class StorageKeys {
  private static final String ROOT = "/registry/";

  private StorageKeys() {}

  /** The key of one object; {@code namespace} is ignored for cluster-scoped kinds. */
  public static String objectKey(ResourceType type, String namespace, String name) {
    return collectionPrefix(type, namespace) + name;
  }

  /**
   * The prefix of every object of a type in one namespace, or in all namespaces when
   * {@code namespace} is null (and always for cluster-scoped kinds). Ends with "/" so
   * namespace "a" does not take in namespace "ab".
   */
  public static String collectionPrefix(ResourceType type, String namespace) {
    String prefix = typePrefix(type);
    return type.namespaced() && namespace != null ? prefix + namespace + "/" : prefix;
  }

  private static String typePrefix(ResourceType type) {
    return ROOT + (type.group().isEmpty() ? "core" : type.group()) + "/" + type.plural() + "/";
  }
}
