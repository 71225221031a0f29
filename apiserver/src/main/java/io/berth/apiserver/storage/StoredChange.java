package io.berth.apiserver.storage;

/**
 * One key's change in one revision.
 *
 * @param value the object's JSON after the change; null when the change deleted it
 * @param modRevision the revision of the change
 */
public record StoredChange(String key, byte[] value, long modRevision) {
  public boolean isDelete() {
    return value == null;
  }
}
