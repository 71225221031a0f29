package io.berth.election;

import java.time.Duration;

/**
 * When this process must consider its store lease lost, by its own clock. The store's
 * leader renews a lease for its TTL when it handles a keep-alive, which is after this
 * process sent it; so a deadline counted from the moment of sending, minus a safety
 * margin, always comes before the store can expire the lease (clock rates on a LAN
 * differ by far less than the margin). A leader that stops at this deadline stops
 * before anyone else can be elected.
 *
 * <p>Pure arithmetic on monotonic nanoseconds; not thread-safe (the session guards it).
 */
final class LeaseDeadline {
  private final long marginNanos;
  private long deadlineNanos;

  /** Starts from a grant sent at {@code sentAtNanos} that answered {@code ttlSeconds}. */
  LeaseDeadline(Duration safetyMargin, long sentAtNanos, long ttlSeconds) {
    this.marginNanos = safetyMargin.toNanos();
    this.deadlineNanos = deadlineFor(sentAtNanos, ttlSeconds);
  }

  /**
   * A keep-alive sent at {@code sentAtNanos} was answered with {@code ttlSeconds}; moves the
   * deadline later, never earlier (an answer to an older request cannot shorten it).
   */
  void renewed(long sentAtNanos, long ttlSeconds) {
    long candidate = deadlineFor(sentAtNanos, ttlSeconds);
    if (candidate - deadlineNanos > 0) {
      deadlineNanos = candidate;
    }
  }

  boolean passed(long nowNanos) {
    return nowNanos - deadlineNanos >= 0;
  }

  /** Nanoseconds until the deadline (negative once it passed). */
  long remainingNanos(long nowNanos) {
    return deadlineNanos - nowNanos;
  }

  private long deadlineFor(long sentAtNanos, long ttlSeconds) {
    return sentAtNanos + Duration.ofSeconds(ttlSeconds).toNanos() - marginNanos;
  }
}
