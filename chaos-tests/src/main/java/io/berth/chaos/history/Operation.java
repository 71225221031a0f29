package io.berth.chaos.history;

/**
 * One client operation of a run, from invocation to completion.
 *
 * @param id unique and increasing in invocation order
 * @param process the client that issued it; a client issues one operation at a time
 * @param replica the replica it was sent to (container name)
 * @param f what it did: {@code read}, {@code write}, {@code cas} (compare-and-set) or {@code add}
 * @param key the register's key (or the set's prefix)
 * @param value the argument of a write, cas (the new value) or add; the result of an OK read
 *     ({@code null} when the key was absent)
 * @param expected for cas only: the value the register must hold for the swap to happen
 * @param outcome ok, fail or info (indeterminate)
 * @param invokeNanos when the client sent it, in nanoseconds since the run started
 * @param completeNanos when the client learned its outcome (for info: when it gave up)
 * @param error why it failed or is indeterminate, else null
 */
public record Operation(
    long id,
    int process,
    String replica,
    String f,
    String key,
    Long value,
    Long expected,
    Outcome outcome,
    long invokeNanos,
    long completeNanos,
    String error) {

  public boolean isOk() {
    return outcome == Outcome.OK;
  }

  public boolean isWrite() {
    return !"read".equals(f);
  }

  public long latencyNanos() {
    return completeNanos - invokeNanos;
  }
}
