package io.berth.client.events;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Records v1 Events about objects, as {@code kubectl describe} shows them. Never blocks
 * and never fails the caller: events are written in the background, and dropped (with a
 * log line) when the API cannot keep up. A repeat of an event (same object, type, reason
 * and message) raises the count of the one already written instead of adding another.
 */
public interface EventRecorder extends AutoCloseable {
  String NORMAL = "Normal";
  String WARNING = "Warning";

  /** @param type {@link #NORMAL} or {@link #WARNING}; @param reason a short CamelCase word (e.g. SuccessfulCreate) */
  void event(HasMetadata object, String type, String reason, String message);

  default void normal(HasMetadata object, String reason, String message) {
    event(object, NORMAL, reason, message);
  }

  default void warning(HasMetadata object, String reason, String message) {
    event(object, WARNING, reason, message);
  }

  /** Stops writing; events not yet written are dropped. */
  @Override
  void close();

  /** A recorder that records nothing (tests of decisions, tools). */
  EventRecorder NONE = new EventRecorder() {
    @Override
    public void event(HasMetadata object, String type, String reason, String message) {}

    @Override
    public void close() {}
  };
}
