package io.berth.controllers;

/**
 * A controller's work for one key: read the object and what it owns from the informer
 * caches, decide, write through the API. Called by one worker at a time per key.
 */
@FunctionalInterface
public interface Reconciler {

  /**
   * Brings the object named {@code key} ({@code namespace/name}) toward its desired state.
   * It may have been deleted meanwhile (then there is usually nothing to do).
   *
   * @return {@link Result#done()} or a requeue after some time (e.g. to look again when a
   *     pod becomes available or a deadline passes)
   * @throws Exception to be retried with the key's back-off (a 409 from a stale cache, an
   *     unreachable API...)
   */
  Result reconcile(String key) throws Exception;
}
