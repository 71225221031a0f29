package io.berth.store.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.OptionalLong;

/**
 * etcd's periodic auto-compaction, decided on the leader: keep {@code retention}
 * of history and compact what is older. Every tick records the current revision
 * with the time; the newest revision recorded at least {@code retention} ago is
 * the one to compact at, as etcd's periodic compactor does.
 *
 * <p>A pure decision: the caller supplies time, revision and leadership, and
 * proposes the compaction itself. Not thread-safe; one scheduler thread ticks it.
 */
final class AutoCompaction {
  private record Sample(long atMillis, long revision) {}

  private final long retentionMillis;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private long lastCompacted;

  AutoCompaction(Duration retention) {
    this.retentionMillis = retention.toMillis();
  }

  /** How often to tick: a tenth of the retention, but at least every second and at most every 5 minutes. */
  static Duration tickInterval(Duration retention) {
    long tenth = retention.toMillis() / 10;
    return Duration.ofMillis(Math.max(1000, Math.min(tenth, Duration.ofMinutes(5).toMillis())));
  }

  /**
   * Records this tick and returns the revision to compact at, if any. A replica
   * that is not the leader forgets its samples: a new leader starts its own
   * window rather than compacting on another's clock.
   */
  OptionalLong tick(long nowMillis, long currentRevision, long compactedRevision, boolean leader) {
    if (!leader) {
      samples.clear();
      return OptionalLong.empty();
    }
    samples.addLast(new Sample(nowMillis, currentRevision));
    Sample due = null;
    while (!samples.isEmpty() && nowMillis - samples.peekFirst().atMillis() >= retentionMillis) {
      due = samples.pollFirst();
    }
    if (due == null || due.revision() <= Math.max(compactedRevision, lastCompacted)) {
      return OptionalLong.empty();
    }
    lastCompacted = due.revision();
    return OptionalLong.of(due.revision());
  }
}
