package io.berth.apiserver.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Predicate;

/**
 * One API watch on a {@link WatchCache}: a key prefix (a namespace, or all), an
 * optional filter (label and field selectors), and the sink its events go to.
 * It turns the cache's changes into the events Kubernetes defines for a filtered
 * watch: an object that starts to match is ADDED, one that stops matching is
 * DELETED, even though neither was created or deleted.
 */
public final class CacheWatcher {
  /** Where the events go. Called under the cache's lock: enqueue, never block. */
  public interface Sink {
    /** Queues one event; false if the watcher has fallen too far behind and must end. */
    boolean offer(WatchEvent event);

    /** The watch is over (it fell behind, or the cache restarted): finish the response. */
    void end(String reason);
  }

  private final String prefix;
  private final Predicate<HasMetadata> filter;
  private final boolean bookmarks;
  private final Sink sink;
  /** The revision of the last event or bookmark sent: where a resumed watch would start. */
  private long sentRevision;
  private long lastBookmarkNanos;

  /**
   * @param filter which objects the watcher wants, or null for all under the prefix
   * @param bookmarks whether the client allowed BOOKMARK events
   */
  public CacheWatcher(String prefix, Predicate<HasMetadata> filter, boolean bookmarks, Sink sink) {
    this.prefix = prefix;
    this.filter = filter;
    this.bookmarks = bookmarks;
    this.sink = sink;
    this.lastBookmarkNanos = System.nanoTime();
  }

  Sink sink() {
    return sink;
  }

  boolean wantsBookmarks() {
    return bookmarks;
  }

  long sentRevision() {
    return sentRevision;
  }

  void startAt(long revision) {
    sentRevision = revision;
  }

  /** @return false if the sink overflowed */
  boolean deliver(CacheChange change) {
    if (!change.key().startsWith(prefix)) {
      return true;
    }
    boolean matchesNow = change.current() != null && matches(change.current());
    boolean matchedBefore = change.previous() != null && matches(change.previous());
    WatchEvent.Type type;
    if (matchesNow) {
      type = matchedBefore ? WatchEvent.Type.MODIFIED : WatchEvent.Type.ADDED;
    } else if (matchedBefore) {
      type = WatchEvent.Type.DELETED;
    } else {
      return true;
    }
    sentRevision = change.revision();
    return sink.offer(change.event(type));
  }

  /** Sends the object as ADDED: the initial state a watch without a resourceVersion begins with. */
  boolean deliverInitial(CachedObject object) {
    if (!object.key().startsWith(prefix) || !matches(object)) {
      return true;
    }
    return sink.offer(WatchEvent.of(WatchEvent.Type.ADDED, object));
  }

  /** Sends a BOOKMARK at {@code revision} if one is due. */
  boolean bookmark(WatchEvent bookmark, long intervalNanos, long now) {
    if (!bookmarks || bookmark.revision() <= sentRevision || now - lastBookmarkNanos < intervalNanos) {
      return true;
    }
    lastBookmarkNanos = now;
    sentRevision = bookmark.revision();
    return sink.offer(bookmark);
  }

  private boolean matches(CachedObject object) {
    return filter == null || filter.test(object.object());
  }
}
