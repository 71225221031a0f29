package io.berth.apiserver.cache;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.storage.ChangeFeed;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.storage.StoredChange;
import io.berth.apiserver.storage.StoredObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every object of one resource type on this replica, kept current by one store
 * watch (a {@link ChangeFeed}), with a window of recent changes: it answers lists
 * and serves every API watcher of the type, so a thousand watchers cost one store
 * watch, as kube-apiserver's cacher does.
 *
 * <p>Consistency, as Kubernetes' KEP-2340 has it: the cache may trail the quorum,
 * so a consistent list first asks the store for the quorum's revision and waits
 * until the cache has caught up to it; a list at resourceVersion 0 takes the cache
 * as it is.
 *
 * <p>Everything that changes the cache, and the registration of a watcher with its
 * replay, happens under one lock, so every watcher sees each revision once, in
 * order, with no gap between its replay and the live changes.
 */
public final class WatchCache implements ChangeFeed.FeedListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchCache.class);

  /** How a cache is sized and paced. */
  public record Settings(int historyCapacity, Duration progressInterval, Duration bookmarkInterval) {
    /** Ten thousand changes per type reach minutes back on a busy cluster; progress each second keeps bookmarks fresh. */
    public static Settings defaults() {
      return new Settings(10_000, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
  }

  private final ResourceType type;
  private final ChangeFeed feed;
  private final Settings settings;
  private final ScheduledExecutorService timer;
  private final String prefix;

  private final Object lock = new Object();
  private final TreeMap<String, CachedObject> objects = new TreeMap<>();
  private final ArrayDeque<CacheChange> history = new ArrayDeque<>();
  private final List<CacheWatcher> watchers = new ArrayList<>();
  private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
  /** Every change up to this revision is in the cache, once {@link #started}. */
  private long revision;
  /** Whether the feed has delivered the starting state (again, after it was lost). */
  private boolean started;
  /** A watch may start from any revision at or after this one: every later change is in the history. */
  private long oldestRevision;
  private ChangeFeed.FeedSubscription subscription;
  private ScheduledFuture<?> progressTask;
  private boolean closed;

  public WatchCache(ResourceType type, ChangeFeed feed, Settings settings, ScheduledExecutorService timer) {
    this.type = type;
    this.feed = feed;
    this.settings = settings;
    this.timer = timer;
    this.prefix = StorageKeys.collectionPrefix(type, null);
  }

  public ResourceType type() {
    return type;
  }

  /** Subscribes to the store and starts asking for progress marks. */
  public void start() {
    synchronized (lock) {
      subscription = feed.subscribe(prefix, settings.historyCapacity(), this);
    }
    long every = settings.progressInterval().toMillis();
    progressTask = timer.scheduleWithFixedDelay(this::requestProgress, every, every, TimeUnit.MILLISECONDS);
  }

  private void requestProgress() {
    ChangeFeed.FeedSubscription current;
    synchronized (lock) {
      current = subscription;
    }
    if (current != null) {
      try {
        current.requestProgress();
      } catch (RuntimeException e) {
        log.debug("progress request for {} failed: {}", type.groupResource(), e.toString());
      }
    }
  }

  /** The revision the cache has reached (meaningless until it has started). */
  public long revision() {
    synchronized (lock) {
      return revision;
    }
  }

  /** The objects under {@code keyPrefix} as the cache holds them now: a list at resourceVersion 0. */
  public CacheList list(String keyPrefix) {
    synchronized (lock) {
      return new CacheList(new ArrayList<>(objects.subMap(keyPrefix, keyPrefix + Character.MAX_VALUE).values()),
          revision);
    }
  }

  /**
   * The objects under {@code keyPrefix} as of a revision no older than the quorum's
   * at the time of the call: a consistent list.
   *
   * @return fails with a TimeoutException if the cache does not catch up within
   *     {@code wait} (callers then read the store)
   */
  public CompletableFuture<CacheList> consistentList(String keyPrefix, Duration wait) {
    return catchUpWithQuorum(wait).thenApply(ok -> list(keyPrefix));
  }

  /**
   * Completes once the cache has every write the quorum had acknowledged when this
   * was called; fails with a TimeoutException after {@code wait}.
   */
  public CompletableFuture<Void> catchUpWithQuorum(Duration wait) {
    return feed.quorumRevision().thenCompose(quorum -> waitUntil(quorum, wait));
  }

  /** Completes once the cache has reached {@code target}; fails with a TimeoutException after {@code wait}. */
  public CompletableFuture<Void> waitUntil(long target, Duration wait) {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    synchronized (lock) {
      if (started && revision >= target) {
        return CompletableFuture.completedFuture(null);
      }
      waiters.computeIfAbsent(target, t -> new ArrayList<>()).add(reached);
    }
    requestProgress();
    ScheduledFuture<?> timeout = timer.schedule(() -> reached.completeExceptionally(new TimeoutException(
        "the " + type.groupResource() + " cache has not reached revision " + target + " within " + wait.toMillis()
            + " ms")), wait.toMillis(), TimeUnit.MILLISECONDS);
    reached.whenComplete((ok, e) -> timeout.cancel(false));
    return reached;
  }

  /**
   * Starts a watcher. With {@code fromRevision} empty (a watch without a
   * resourceVersion, or at 0) it first gets every matching object as ADDED, then the
   * changes; otherwise the changes after {@code fromRevision}, which the caller has
   * made sure the cache has reached ({@link #waitUntil}).
   *
   * @throws ExpiredRevisionException if the history no longer reaches back to {@code fromRevision}
   */
  public void watch(CacheWatcher watcher, java.util.OptionalLong fromRevision) {
    watch(watcher, fromRevision, false);
  }

  /**
   * As {@link #watch(CacheWatcher, java.util.OptionalLong)}; with {@code markInitialEnd}
   * the initial events are followed by the BOOKMARK that says they are complete.
   */
  public void watch(CacheWatcher watcher, java.util.OptionalLong fromRevision, boolean markInitialEnd) {
    synchronized (lock) {
      if (closed) {
        watcher.sink().end("the API server is shutting down");
        return;
      }
      if (fromRevision.isEmpty()) {
        watcher.startAt(revision);
        for (CachedObject object : objects.values()) {
          if (!watcher.deliverInitial(object)) {
            watcher.sink().end("the watcher could not keep up with the initial list");
            return;
          }
        }
        if (markInitialEnd && !watcher.sink().offer(WatchEvent.initialEventsEnd(type, revision))) {
          watcher.sink().end("the watcher could not keep up with the initial list");
          return;
        }
      } else {
        long from = fromRevision.getAsLong();
        if (from < oldestRevision) {
          throw new ExpiredRevisionException(from, oldestRevision);
        }
        watcher.startAt(from);
        for (CacheChange change : history) {
          if (change.revision() > from && !watcher.deliver(change)) {
            watcher.sink().end("the watcher could not keep up with the replay");
            return;
          }
        }
      }
      watchers.add(watcher);
    }
  }

  /** Stops delivering to {@code watcher} (its client went away). */
  public void stop(CacheWatcher watcher) {
    synchronized (lock) {
      watchers.remove(watcher);
    }
  }

  public int watcherCount() {
    synchronized (lock) {
      return watchers.size();
    }
  }

  @Override
  public void onStart(long startRevision, List<StoredObject> initial) {
    synchronized (lock) {
      objects.clear();
      history.clear();
      for (StoredObject o : initial) {
        objects.put(o.key(), new CachedObject(type, o.key(), o.value(), o.modRevision()));
      }
      revision = startRevision;
      oldestRevision = startRevision;
      started = true;
      completeWaiters();
    }
    log.info("{} cache started at revision {} with {} objects", type.groupResource(), startRevision, initial.size());
  }

  @Override
  public void onChanges(long changeRevision, List<StoredChange> changes) {
    synchronized (lock) {
      for (StoredChange stored : changes) {
        CachedObject previous = objects.get(stored.key());
        CachedObject current = null;
        if (stored.isDelete()) {
          if (previous == null) {
            continue;
          }
          objects.remove(stored.key());
        } else {
          current = new CachedObject(type, stored.key(), stored.value(), stored.modRevision());
          objects.put(stored.key(), current);
        }
        record(new CacheChange(changeRevision, stored.key(), current, previous));
      }
      revision = Math.max(revision, changeRevision);
      completeWaiters();
    }
  }

  private void record(CacheChange change) {
    history.addLast(change);
    while (history.size() > settings.historyCapacity()) {
      // A watch from the dropped change's revision needs only later changes, all still held.
      oldestRevision = Math.max(oldestRevision, history.removeFirst().revision());
    }
    List<CacheWatcher> fallenBehind = new ArrayList<>();
    for (CacheWatcher w : watchers) {
      if (!w.deliver(change)) {
        fallenBehind.add(w);
      }
    }
    end(fallenBehind, "the watcher fell too far behind");
  }

  @Override
  public void onProgress(long progressRevision) {
    synchronized (lock) {
      if (!started) {
        return;
      }
      if (progressRevision > revision) {
        revision = progressRevision;
        completeWaiters();
      }
      sendDueBookmarks();
    }
  }

  /** Tells watchers that asked for bookmarks, now and then, how far the cache has got. */
  private void sendDueBookmarks() {
    WatchEvent bookmark = null;
    long now = System.nanoTime();
    long interval = settings.bookmarkInterval().toNanos();
    List<CacheWatcher> fallenBehind = new ArrayList<>();
    for (CacheWatcher w : watchers) {
      if (!w.wantsBookmarks() || w.sentRevision() >= revision) {
        continue;
      }
      bookmark = bookmark != null ? bookmark : WatchEvent.bookmark(type, revision);
      if (!w.bookmark(bookmark, interval, now)) {
        fallenBehind.add(w);
      }
    }
    end(fallenBehind, "the watcher fell too far behind");
  }

  @Override
  public void onLost(String reason) {
    log.warn("{} cache lost its place in the store ({}); ending its watches and starting again",
        type.groupResource(), reason);
    synchronized (lock) {
      endAll("the watch cache restarted: " + reason);
      started = false;
      if (closed) {
        return;
      }
      subscription = feed.subscribe(prefix, settings.historyCapacity(), this);
    }
  }

  private void completeWaiters() {
    if (!started) {
      return;
    }
    Map<Long, List<CompletableFuture<Void>>> due = waiters.headMap(revision, true);
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    due.values().forEach(ready::addAll);
    due.clear();
    // Completed on the timer's thread: whatever waits on them must not run under this lock.
    if (!ready.isEmpty()) {
      timer.execute(() -> ready.forEach(f -> f.complete(null)));
    }
  }

  private void endAll(String reason) {
    end(new ArrayList<>(watchers), reason);
  }

  /**
   * Forgets the watchers, then ends their responses. In that order: ending a response
   * runs its close actions, which stop the watcher here again, and that must not
   * happen while the list is being walked.
   */
  private void end(List<CacheWatcher> ended, String reason) {
    if (ended.isEmpty()) {
      return;
    }
    watchers.removeAll(ended);
    for (CacheWatcher w : ended) {
      w.sink().end(reason);
    }
  }

  @Override
  public void close() {
    ChangeFeed.FeedSubscription toClose;
    synchronized (lock) {
      closed = true;
      endAll("the API server is shutting down");
      toClose = subscription;
      subscription = null;
    }
    if (progressTask != null) {
      progressTask.cancel(false);
    }
    if (toClose != null) {
      toClose.close();
    }
  }
}
