package io.berth.apiserver.testing;

import io.berth.apiserver.storage.ChangeFeed;
import io.berth.apiserver.storage.Fence;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StorageException;
import io.berth.apiserver.storage.StoredChange;
import io.berth.apiserver.storage.StoredList;
import io.berth.apiserver.storage.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link ObjectStore} and {@link ChangeFeed} in a sorted map with a revision counter,
 * for unit tests of the layers above storage. Keeps only the latest version of each
 * key, so it serves lists at the latest revision only; its feed replays no history.
 */
public final class InMemoryObjectStore implements ObjectStore, ChangeFeed {
  private final TreeMap<String, StoredObject> objects = new TreeMap<>();
  private final Map<String, Long> createRevisions = new java.util.HashMap<>();
  private final List<Feed> feeds = new CopyOnWriteArrayList<>();
  private long revision = 1;

  @Override
  public synchronized CompletableFuture<Optional<StoredObject>> get(String key) {
    return CompletableFuture.completedFuture(Optional.ofNullable(objects.get(key)));
  }

  @Override
  public synchronized CompletableFuture<StoredList> list(String prefix, String fromKey, long atRevision, int limit) {
    if (atRevision != 0 && atRevision != revision) {
      return CompletableFuture.failedFuture(new StorageException(StorageException.Reason.COMPACTED, prefix,
          "the in-memory store keeps no history"));
    }
    String start = fromKey == null ? prefix : fromKey;
    List<StoredObject> all = objects.tailMap(start).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
    if (limit <= 0 || all.size() <= limit) {
      return CompletableFuture.completedFuture(new StoredList(all, revision));
    }
    return CompletableFuture.completedFuture(new StoredList(all.subList(0, limit), revision, true,
        all.size() - limit));
  }

  @Override
  public synchronized CompletableFuture<StoredObject> create(String key, byte[] value, Fence fence) {
    if (!holds(fence)) {
      return CompletableFuture.failedFuture(fenced(fence));
    }
    if (objects.containsKey(key)) {
      return CompletableFuture.failedFuture(new StorageException(StorageException.Reason.KEY_EXISTS, key, "exists"));
    }
    return CompletableFuture.completedFuture(write(key, value));
  }

  @Override
  public synchronized CompletableFuture<StoredObject> update(String key, byte[] value, long expectedRevision,
      Fence fence) {
    StorageException refused = holds(fence) ? precondition(key, expectedRevision) : fenced(fence);
    return refused != null ? CompletableFuture.failedFuture(refused) : CompletableFuture.completedFuture(write(key, value));
  }

  @Override
  public synchronized CompletableFuture<StoredObject> delete(String key, long expectedRevision, Fence fence) {
    StorageException refused = holds(fence) ? precondition(key, expectedRevision) : fenced(fence);
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    revision++;
    createRevisions.remove(key);
    publish(new StoredChange(key, null, revision));
    return CompletableFuture.completedFuture(objects.remove(key));
  }

  @Override
  public synchronized CompletableFuture<Long> quorumRevision() {
    return CompletableFuture.completedFuture(revision);
  }

  @Override
  public synchronized FeedSubscription subscribe(String prefix, long historyRevisions, FeedListener listener) {
    Feed feed = new Feed(prefix, listener);
    List<StoredObject> initial = objects.tailMap(prefix).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
    long at = revision;
    feed.executor.execute(() -> listener.onStart(at, initial));
    feeds.add(feed);
    return feed;
  }

  /** A fence holds while its campaign key is in the map, written at the fence's revision. */
  private boolean holds(Fence fence) {
    if (fence == null) {
      return true;
    }
    StoredObject campaign = objects.get(fence.key());
    return campaign != null && createRevisions.get(fence.key()) == fence.createRevision();
  }

  private static StorageException fenced(Fence fence) {
    return new StorageException(StorageException.Reason.FENCED, fence.key(), "the fencing token "
        + fence.createRevision() + ":" + fence.key() + " is no longer current");
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
    createRevisions.putIfAbsent(key, revision);
    objects.put(key, written);
    publish(new StoredChange(key, value, revision));
    return written;
  }

  private void publish(StoredChange change) {
    for (Feed feed : feeds) {
      if (change.key().startsWith(feed.prefix)) {
        feed.executor.execute(() -> feed.listener.onChanges(change.modRevision(), List.of(change)));
      }
    }
  }

  private final class Feed implements FeedSubscription {
    final String prefix;
    final FeedListener listener;
    final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "in-memory-feed");
      t.setDaemon(true);
      return t;
    });

    Feed(String prefix, FeedListener listener) {
      this.prefix = prefix;
      this.listener = listener;
    }

    @Override
    public void requestProgress() {
      synchronized (InMemoryObjectStore.this) {
        long at = revision;
        executor.execute(() -> listener.onProgress(at));
      }
    }

    @Override
    public void close() {
      feeds.remove(this);
      executor.shutdownNow();
    }
  }
}
