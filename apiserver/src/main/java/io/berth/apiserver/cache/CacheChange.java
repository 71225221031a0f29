package io.berth.apiserver.cache;

import java.util.EnumMap;

/**
 * One key's change in the cache's history. The events watchers see for it are made
 * once per type and shared, so their JSON is encoded once.
 */
final class CacheChange {
  private final long revision;
  private final String key;
  private final CachedObject current;
  private final CachedObject previous;
  private final EnumMap<WatchEvent.Type, WatchEvent> events = new EnumMap<>(WatchEvent.Type.class);

  /**
   * @param current the object after the change; null if it was deleted
   * @param previous the object before; null if it was created
   */
  CacheChange(long revision, String key, CachedObject current, CachedObject previous) {
    this.revision = revision;
    this.key = key;
    this.current = current;
    this.previous = previous;
  }

  long revision() {
    return revision;
  }

  String key() {
    return key;
  }

  CachedObject current() {
    return current;
  }

  CachedObject previous() {
    return previous;
  }

  /**
   * The event of {@code type} for this change. A DELETED event carries the object as
   * it was last seen: after a delete, its last state at the delete's revision; when
   * it merely stopped matching a watcher's selector, its new state.
   */
  synchronized WatchEvent event(WatchEvent.Type type) {
    return events.computeIfAbsent(type, t -> WatchEvent.of(t, current != null ? current : previous.atRevision(revision)));
  }
}
