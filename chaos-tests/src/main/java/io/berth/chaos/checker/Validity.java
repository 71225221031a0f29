package io.berth.chaos.checker;

/** What a checker concluded about a history. */
public enum Validity {
  /** Every property it checks holds. */
  VALID,
  /** It found an anomaly: the history proves a property broken. */
  INVALID,
  /** It could not decide (the search ran out of its time budget); not a pass. */
  UNKNOWN
}
