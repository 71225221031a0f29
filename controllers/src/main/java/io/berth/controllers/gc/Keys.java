package io.berth.controllers.gc;

import io.berth.client.Resource;
import io.berth.client.informer.ObjectKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Work-queue keys naming the kind too, since the collector's queue holds objects of every kind. */
final class Keys {
  private Keys() {}

  static String of(Resource<?> resource, HasMetadata object) {
    return resource.plural() + "|" + ObjectKeys.key(object);
  }

  static String plural(String key) {
    return key.substring(0, key.indexOf('|'));
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
  static String objectKey(String key) {
    return key.substring(key.indexOf('|') + 1);
  }
}
