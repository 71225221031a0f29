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
  CompletableFuture<StoredObject> create(String key, byte[] value);

  /**
   * Replaces the object at {@code key} if it is still at {@code expectedRevision}.
   *
   * @return the object as written, with its new modRevision
   * @throws StorageException KEY_NOT_FOUND if there is no object, REVISION_CONFLICT if it
   *     has been written since {@code expectedRevision}
   */
  CompletableFuture<StoredObject> update(String key, byte[] value, long expectedRevision);

  /**
   * Deletes the object at {@code key} if it is still at {@code expectedRevision}.
   *
   * @return the object as it was just before the delete
   * @throws StorageException KEY_NOT_FOUND or REVISION_CONFLICT as for update
   */
  CompletableFuture<StoredObject> delete(String key, long expectedRevision);
}
