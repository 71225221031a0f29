package io.berth.apiserver.cache;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.storage.ChangeFeed;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/** One {@link WatchCache} per resource type of the table, started and closed together. */
public final class WatchCaches implements AutoCloseable {
  private final Map<ResourceType, WatchCache> caches = new LinkedHashMap<>();

  public WatchCaches(ResourceTable table, ChangeFeed feed, WatchCache.Settings settings,
      ScheduledExecutorService timer) {
    for (ResourceType type : table.stored()) {
      caches.put(type, new WatchCache(type, feed, settings, timer));
    }
  }

  public void start() {
    caches.values().forEach(WatchCache::start);
  }

  /** The cache of {@code type}, which must be a row of the table. */
  public WatchCache of(ResourceType type) {
    WatchCache cache = caches.get(type);
    if (cache == null) {
      throw new IllegalArgumentException("no watch cache for " + type.groupResource());
    }
    return cache;
  }

  /** Every API watcher of this replica, over all types. */
  public int watcherCount() {
    return caches.values().stream().mapToInt(WatchCache::watcherCount).sum();
  }

  @Override
  public void close() {
    caches.values().forEach(WatchCache::close);
  }
}
