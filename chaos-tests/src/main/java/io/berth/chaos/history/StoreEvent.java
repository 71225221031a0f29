package io.berth.chaos.history;

/**
 * One change of the store as a watch reports it: the key written or deleted at a revision.
 *
 * @param revision the store revision of the change (its mod_revision)
 * @param key the key
 * @param value the value written, {@code null} for a delete
 */
public record StoreEvent(long revision, String key, Long value) {

  public boolean isDelete() {
    return value == null;
  }
}
