package io.berth.apiserver.storage.encryption;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.Statuses;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.storage.StoredObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which stored values are encrypted, by key prefix: the resources of the encryption
 * provider config, resolved against the resource table ("secrets" is the core group's,
 * "deployments.apps" names its group).
 */
public final class AtRestEncryption {
  private final Map<String, ValueTransformer> byPrefix;

  private AtRestEncryption(Map<String, ValueTransformer> byPrefix) {
    this.byPrefix = Map.copyOf(byPrefix);
  }

  public static AtRestEncryption none() {
    return new AtRestEncryption(Map.of());
  }

  /** @throws IllegalArgumentException for a resource the table does not serve */
  public static AtRestEncryption of(Map<String, ValueTransformer> byResource, ResourceTable table) {
    Map<String, ValueTransformer> byPrefix = new LinkedHashMap<>();
    byResource.forEach((resource, transformer) -> {
      String[] parts = resource.split("\\.", 2);
      String group = parts.length == 2 ? parts[1] : "";
      ResourceType type = table.stored().stream()
          .filter(t -> t.plural().equals(parts[0]) && t.group().equals(group)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("resource " + resource + " is not served"));
      byPrefix.put(StorageKeys.collectionPrefix(type, null), transformer);
    });
    return new AtRestEncryption(byPrefix);
  }

  public boolean isEmpty() {
    return byPrefix.isEmpty();
  }

  Optional<ValueTransformer> transformerFor(String key) {
    return byPrefix.entrySet().stream().filter(e -> key.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst();
  }

  byte[] toStorage(String key, byte[] plain) {
    return transformerFor(key).map(t -> t.toStorage(key, plain)).orElse(plain);
  }

  /** @throws io.berth.apiserver.rest.ApiException 500 saying why the value cannot be read */
  byte[] fromStorage(String key, byte[] stored) {
    if (stored == null) {
      return null;
    }
    Optional<ValueTransformer> transformer = transformerFor(key);
    if (transformer.isEmpty()) {
      return stored;
    }
    try {
      return transformer.get().fromStorage(key, stored);
    } catch (ValueTransformer.UnreadableValueException e) {
      throw Statuses.internal("cannot decrypt the stored value: " + e.getMessage());
    }
  }

  StoredObject fromStorage(StoredObject stored) {
    return stored == null ? null
        : new StoredObject(stored.key(), fromStorage(stored.key(), stored.value()), stored.modRevision());
  }
}
