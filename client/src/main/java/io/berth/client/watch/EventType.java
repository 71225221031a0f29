package io.berth.client.watch;

/** The {@code type} of a watch event, as the Kubernetes API names it. */
public enum EventType {
  ADDED,
  MODIFIED,
  DELETED,
  /** No change: the object carries only a resourceVersion the stream has reached. */
  BOOKMARK,
  /** The stream cannot go on; the event carries a Status (410 when the version expired). */
  ERROR
}
