package io.berth.chaos.checker;

import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import java.util.concurrent.atomic.AtomicLong;

/** Synthetic operations for the checkers' tests; times in milliseconds. */
final class Ops {
  private static final AtomicLong ids = new AtomicLong();

  private Ops() {}

  static Operation op(int process, String f, String key, Long value, Long expected, Outcome outcome, long fromMs,
      long toMs) {
    return new Operation(ids.incrementAndGet(), process, "n" + (process % 3 + 1), f, key, value, expected, outcome,
        fromMs * 1_000_000, toMs * 1_000_000, outcome == Outcome.OK ? null : "timeout");
  }

  static Operation write(int process, long value, long fromMs, long toMs) {
    return op(process, "write", "k", value, null, Outcome.OK, fromMs, toMs);
  }

  static Operation read(int process, Long value, long fromMs, long toMs) {
    return op(process, "read", "k", value, null, Outcome.OK, fromMs, toMs);
  }

  static Operation cas(int process, long expected, long value, long fromMs, long toMs) {
    return op(process, "cas", "k", value, expected, Outcome.OK, fromMs, toMs);
  }

  static Operation with(Operation op, Outcome outcome) {
    return new Operation(op.id(), op.process(), op.replica(), op.f(), op.key(), op.value(), op.expected(), outcome,
        op.invokeNanos(), op.completeNanos(), outcome == Outcome.OK ? null : "timeout");
  }

  static Operation onKey(Operation op, String key) {
    return new Operation(op.id(), op.process(), op.replica(), op.f(), key, op.value(), op.expected(), op.outcome(),
        op.invokeNanos(), op.completeNanos(), op.error());
  }
}
