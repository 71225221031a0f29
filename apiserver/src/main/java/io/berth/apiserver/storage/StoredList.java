package io.berth.apiserver.storage;

import java.util.List;

/**
 * The objects under a prefix, in key order, as of one store revision: all of them,
 * or one page.
 *
 * @param revision the store revision the list was read at: the list's resourceVersion
 * @param more whether objects after the last one were left out by the page's limit
 * @param remaining how many were left out
 */
public record StoredList(List<StoredObject> items, long revision, boolean more, long remaining) {
  public StoredList {
    items = List.copyOf(items);
  }

  /** A whole list. */
  public StoredList(List<StoredObject> items, long revision) {
    this(items, revision, false, 0);
  }
}
