package io.berth.apiserver.storage.encryption;

import io.berth.apiserver.storage.Fence;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StoredList;
import io.berth.apiserver.storage.StoredObject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** An {@link ObjectStore} whose values of the configured resources are encrypted in the store underneath. */
public final class EncryptingObjectStore implements ObjectStore {
  private final ObjectStore store;
  private final AtRestEncryption encryption;

  public EncryptingObjectStore(ObjectStore store, AtRestEncryption encryption) {
    this.store = store;
    this.encryption = encryption;
  }

  @Override
  public CompletableFuture<Optional<StoredObject>> get(String key) {
    return store.get(key).thenApply(found -> found.map(encryption::fromStorage));
  }

  @Override
  public CompletableFuture<StoredList> list(String prefix, String fromKey, long revision, int limit) {
    return store.list(prefix, fromKey, revision, limit).thenApply(list -> new StoredList(
        list.items().stream().map(encryption::fromStorage).toList(), list.revision(), list.more(), list.remaining()));
  }

  @Override
  public CompletableFuture<StoredObject> create(String key, byte[] value, Fence fence) {
    return store.create(key, encryption.toStorage(key, value), fence).thenApply(encryption::fromStorage);
  }

  @Override
  public CompletableFuture<StoredObject> update(String key, byte[] value, long expectedRevision, Fence fence) {
    return store.update(key, encryption.toStorage(key, value), expectedRevision, fence)
        .thenApply(encryption::fromStorage);
  }

  @Override
  public CompletableFuture<StoredObject> delete(String key, long expectedRevision, Fence fence) {
    return store.delete(key, expectedRevision, fence).thenApply(encryption::fromStorage);
  }
}
