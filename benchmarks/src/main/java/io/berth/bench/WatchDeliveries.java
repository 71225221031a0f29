package io.berth.bench;

import org.HdrHistogram.Histogram;

/**
 * The accounting of the watch fan-out: per round, one write and N watchers, each of
 * which receives the write's event at some time (or not at all). A delivery's latency
 * is counted two ways: from just before the write was sent (so it includes the write's
 * own commit; always positive), and from the write's acknowledgement to the writer
 * (what a client that waits for its write and then for others to see it would observe;
 * an event that arrived before the acknowledgement counts as 0 and is tallied). Pure
 * bookkeeping on nanosecond timestamps, so it is unit-tested.
 */
final class WatchDeliveries {
  /** No receipt: the watcher never saw the round's event. */
  static final long NOT_RECEIVED = Long.MIN_VALUE;

  private final Histogram fromSend = histogram();
  private final Histogram fromAck = histogram();
  private final Histogram writeLatency = histogram();
  private int rounds;
  private long expected;
  private long received;
  private long beforeAck;

  /**
   * Adds one round.
   *
   * @param receivedAt per watcher, the {@link System#nanoTime} its event arrived, or {@link #NOT_RECEIVED}
   */
  void addRound(long sentNanos, long ackNanos, long[] receivedAt) {
    rounds++;
    expected += receivedAt.length;
    writeLatency.recordValue(micros(ackNanos - sentNanos));
    for (long at : receivedAt) {
      if (at == NOT_RECEIVED) {
        continue;
      }
      received++;
      fromSend.recordValue(micros(at - sentNanos));
      if (at < ackNanos) {
        beforeAck++;
      }
      fromAck.recordValue(micros(Math.max(0, at - ackNanos)));
    }
  }

  int rounds() {
    return rounds;
  }

  long expected() {
    return expected;
  }

  long received() {
    return received;
  }

  /** Deliveries that reached their watcher before the writer had its acknowledgement. */
  long beforeAck() {
    return beforeAck;
  }

  /** Delivery latency from the write's send, in ms at {@code percentile} (100 = max); NaN with no deliveries. */
  double fromSendMillis(double percentile) {
    return millis(fromSend, percentile);
  }

  double fromAckMillis(double percentile) {
    return millis(fromAck, percentile);
  }

  /** The writes' own latency (send to acknowledgement), in ms. */
  double writeMillis(double percentile) {
    return millis(writeLatency, percentile);
  }

  private static double millis(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return Double.NaN;
    }
    long micros = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    return micros / 1000.0;
  }

  /** Microseconds, clamped into the histogram's range (0 stays 0: an event before the acknowledgement). */
  private static long micros(long nanos) {
    return Math.min(ClosedLoop.HIGHEST_MICROS, Math.max(0, nanos / 1000));
  }

  private static Histogram histogram() {
    return new Histogram(ClosedLoop.HIGHEST_MICROS, 3);
  }
}
