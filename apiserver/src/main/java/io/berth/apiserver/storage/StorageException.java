package io.berth.apiserver.storage;

/**
 * Why a store operation did not happen. The REST layer turns each reason into
 * the Kubernetes Status a client expects.
 */
public final class StorageException extends RuntimeException {
  /** What went wrong, in the API's terms rather than etcd's. */
  public enum Reason {
    /** create: the key already holds an object. */
    KEY_EXISTS,
    /** get, update, delete: no object at the key. */
    KEY_NOT_FOUND,
    /** update, delete: the object changed since the given revision. */
    REVISION_CONFLICT,
    /** a leader's write whose fencing token is no longer current: it has lost its leadership. */
    FENCED,
    /** a read at a revision the store has compacted away. */
    COMPACTED,
    /** a read at a revision the store has not reached yet. */
    FUTURE_REVISION,
    /** the store could not answer (no leader, timeout); retrying may succeed. */
    UNAVAILABLE,
    /** anything else the store reported. */
    INTERNAL
  }

  private final Reason reason;
  private final String key;

  public StorageException(Reason reason, String key, String message) {
    super(message);
    this.reason = reason;
    this.key = key;
  }

  public Reason reason() {
    return reason;
  }

  public String key() {
    return key;
  }
}
