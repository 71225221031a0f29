package io.berth.apiserver.cache;

import java.util.List;

/**
 * The cached objects under a prefix, in key order, as of one revision.
 *
 * @param revision the cache's revision when the list was taken: the list's resourceVersion
 */
public record CacheList(List<CachedObject> items, long revision) {
  public CacheList {
    items = List.copyOf(items);
  }
}
