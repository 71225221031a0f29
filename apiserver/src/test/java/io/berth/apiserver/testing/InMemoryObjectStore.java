package io.berth.apiserver.testing;

import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StorageException;
import io.berth.apiserver.storage.StoredList;
import io.berth.apiserver.storage.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ObjectStore} in a sorted map with a revision counter, for unit tests of the
 * layers above storage. Keeps only the latest version of each key, so it serves
 * lists at the latest revision only.
 */
public final class InMemoryObjectStore implements ObjectStore {
  private final TreeMap<String, StoredObject> objects = new TreeMap<>();
  private long revision = 1;

  @Override
  public synchronized CompletableFuture<Optional<StoredObject>> get(String key) {
    return CompletableFuture.completedFuture(Optional.ofNullable(objects.get(key)));
  }

  @Override
  public synchronized CompletableFuture<StoredList> list(String prefix, long atRevision) {
    if (atRevision != 0 && atRevision != revision) {
      throw new UnsupportedOperationException("the in-memory store keeps no history");
    }
    List<StoredObject> items = new ArrayList<>(objects.tailMap(prefix).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(prefix)).map(java.util.Map.Entry::getValue).toList());
    return CompletableFuture.completedFuture(new StoredList(items, revision));
  }

  @Override
  public synchronized CompletableFuture<StoredObject> create(String key, byte[] value) {
    if (objects.containsKey(key)) {
      return CompletableFuture.failedFuture(new StorageException(StorageException.Reason.KEY_EXISTS, key, "exists"));
    }
    return CompletableFuture.completedFuture(write(key, value));
  }

  @Override
  public synchronized CompletableFuture<StoredObject> update(String key, byte[] value, long expectedRevision) {
    StorageException refused = precondition(key, expectedRevision);
    return refused != null ? CompletableFuture.failedFuture(refused) : CompletableFuture.completedFuture(write(key, value));
  }

  @Override
  public synchronized CompletableFuture<StoredObject> delete(String key, long expectedRevision) {
    StorageException refused = precondition(key, expectedRevision);
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    revision++;
    return CompletableFuture.completedFuture(objects.remove(key));
  }

  private StorageException precondition(String key, long expectedRevision) {
    StoredObject current = objects.get(key);
    if (current == null) {
      return new StorageException(StorageException.Reason.KEY_NOT_FOUND, key, "not found");
    }
    if (current.modRevision() != expectedRevision) {
      return new StorageException(StorageException.Reason.REVISION_CONFLICT, key, "modified");
    }
    return null;
  }

  private StoredObject write(String key, byte[] value) {
    StoredObject written = new StoredObject(key, value, ++revision);
    objects.put(key, written);
    return written;
  }
}
