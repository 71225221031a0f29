package io.berth.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * What the watchers look for in one round: the marker the round's write carries, and
 * where each watcher notes when it saw it. Each watcher writes only its own slot, on its
 * event loop; the writer reads the slots after {@link #await}, which orders the reads
 * after the writes.
 */
final class WatchRound {
  private final String marker;
  private final byte[] markerBytes;
  private final long[] receivedAt;
  private final CountDownLatch pending;

  WatchRound(String marker, int watchers) {
    this.marker = marker;
    this.markerBytes = marker.getBytes(StandardCharsets.UTF_8);
    this.receivedAt = new long[watchers];
    Arrays.fill(receivedAt, WatchDeliveries.NOT_RECEIVED);
    this.pending = new CountDownLatch(watchers);
  }

  /** The text the round's write carries, which no other event contains. */
  String marker() {
    return marker;
  }

  /** Called by watcher {@code watcher} for each event line it receives at {@code nanos}. */
  void onLine(int watcher, byte[] line, long nanos) {
    if (receivedAt[watcher] == WatchDeliveries.NOT_RECEIVED && LineSplitter.contains(line, markerBytes)) {
      receivedAt[watcher] = nanos;
      pending.countDown();
    }
  }

  /** Waits until every watcher has the event, or {@code millis} pass; true if all have it. */
  boolean await(long millis) throws InterruptedException {
    return pending.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Per watcher, when it received the event ({@link WatchDeliveries#NOT_RECEIVED} if not yet). */
  long[] receivedAt() {
    return receivedAt.clone();
  }
}
