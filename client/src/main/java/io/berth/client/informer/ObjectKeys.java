package io.berth.client.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The cache key of an object: {@code namespace/name}, or {@code name} for cluster-scoped ones (as client-go). */
public final class ObjectKeys {
  private ObjectKeys() {}

  public static String key(HasMetadata object) {
    return key(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
