package io.berth.apiserver.storage;

import java.util.List;

/**
 * The objects under a prefix, in key order, as of one store revision.
 *
 * @param revision the store revision the list was read at: the list's resourceVersion
 */
public record StoredList(List<StoredObject> items, long revision) {
  public StoredList {
    items = List.copyOf(items);
  }
}
