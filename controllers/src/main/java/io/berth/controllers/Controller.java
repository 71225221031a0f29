package io.berth.controllers;

/**
 * One controller: what it watches and how it reconciles. It is constructed once per
 * process with the {@link SharedInformers} (declaring the kinds and indexes it reads), and
 * {@linkplain #start started} anew for each leadership term.
 */
public interface Controller {

  /** A short name, e.g. "replicaset": thread names, metrics labels, the event source. */
  String name();

  /** Workers reconciling keys in parallel (never the same key at once). */
  default int workers() {
    return 2;
  }

  /**
   * Begins a term: subscribe to the informers through {@code context} (handlers only
   * enqueue keys into {@code context.queue()}) and return the reconciler the workers call.
   * Whatever state the controller keeps for a term (expectations) is made here, fresh.
   */
  Reconciler start(ControllerContext context);
}
