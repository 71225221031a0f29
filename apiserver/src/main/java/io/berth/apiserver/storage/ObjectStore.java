package io.berth.apiserver.storage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Objects by key, with the store's revisions. Keys are opaque here; {@link StorageKeys}
 * builds them. Every future fails with a {@link StorageException} (possibly wrapped in
 * a CompletionException) when the operation did not happen as asked.
 *
 * <p>All reads are linearizable: they see every write acknowledged, through any
 * replica, before the read began.
 */
public interface ObjectStore {

  /** The object at {@code key}, or empty if there is none. */
  CompletableFuture<Optional<StoredObject>> get(String key);

  /**
   * Every object whose key starts with {@code prefix}, in key order.
   *
   * @param revision the store revision to read at; 0 for the latest
   * @throws StorageException COMPACTED or FUTURE_REVISION for a revision the store cannot read at
   */
  default CompletableFuture<StoredList> list(String prefix, long revision) {
    return list(prefix, null, revision, 0);
  }

  /**
   * One page of the objects whose key starts with {@code prefix}, in key order.
   *
   * @param fromKey the first key of the page (inclusive), or null to start at the prefix
   * @param revision the store revision to read at; 0 for the latest
   * @param limit the most objects to return; 0 for all
   */
  CompletableFuture<StoredList> list(String prefix, String fromKey, long revision, int limit);

  /**
   * Writes {@code value} at {@code key} if no object is there.
   *
   * @return the object as written, with its modRevision
   * @throws StorageException KEY_EXISTS if the key holds an object
   */
  default CompletableFuture<StoredObject> create(String key, byte[] value) {
    return create(key, value, null);
  }

  /**
   * As {@link #create(String, byte[])}, only while {@code fence} holds.
   *
   * @param fence the writer's fencing token, or null for a write that needs none
   * @throws StorageException FENCED if the fence no longer holds
   */
  CompletableFuture<StoredObject> create(String key, byte[] value, Fence fence);

  /**
   * Replaces the object at {@code key} if it is still at {@code expectedRevision}.
   *
   * @return the object as written, with its new modRevision
   * @throws StorageException KEY_NOT_FOUND if there is no object, REVISION_CONFLICT if it
   *     has been written since {@code expectedRevision}
   */
  default CompletableFuture<StoredObject> update(String key, byte[] value, long expectedRevision) {
    return update(key, value, expectedRevision, null);
  }

  /** As {@link #update(String, byte[], long)}, only while {@code fence} (if not null) holds. */
  CompletableFuture<StoredObject> update(String key, byte[] value, long expectedRevision, Fence fence);

  /**
   * Deletes the object at {@code key} if it is still at {@code expectedRevision}.
   *
   * @return the object as it was just before the delete
   * @throws StorageException KEY_NOT_FOUND or REVISION_CONFLICT as for update
   */
  default CompletableFuture<StoredObject> delete(String key, long expectedRevision) {
    return delete(key, expectedRevision, null);
  }

  /** As {@link #delete(String, long)}, only while {@code fence} (if not null) holds. */
  CompletableFuture<StoredObject> delete(String key, long expectedRevision, Fence fence);

  /** This store with every write made only while {@code fence} holds. */
  default ObjectStore fencedBy(Fence fence) {
    ObjectStore plain = this;
    return new ObjectStore() {
      @Override public CompletableFuture<java.util.Optional<StoredObject>> get(String key) {
        return plain.get(key);
      }

      @Override public CompletableFuture<StoredList> list(String prefix, String fromKey, long revision, int limit) {
        return plain.list(prefix, fromKey, revision, limit);
      }

      @Override public CompletableFuture<StoredObject> create(String key, byte[] value, Fence ignored) {
        return plain.create(key, value, fence);
      }

      @Override public CompletableFuture<StoredObject> update(String key, byte[] value, long expected, Fence ignored) {
        return plain.update(key, value, expected, fence);
      }

      @Override public CompletableFuture<StoredObject> delete(String key, long expected, Fence ignored) {
        return plain.delete(key, expected, fence);
      }
    };
  }
}
