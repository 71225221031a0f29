package io.berth.chaos.history;

/** How an operation ended, as Jepsen records it. */
public enum Outcome {
  /** The replica acknowledged it: it took effect (or, for a read, returned this value). */
  OK,
  /** It certainly did not take effect (refused before any proposal, or a failed compare). */
  FAIL,
  /**
   * Indeterminate: a timeout or a broken connection after the request was sent. It may or may
   * not have taken effect, at any moment after its invocation, so checkers treat it as open-ended.
   */
  INFO
}
