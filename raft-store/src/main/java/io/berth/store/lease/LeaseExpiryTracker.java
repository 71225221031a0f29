package io.berth.store.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The leader's clock for leases. Only the leader tracks deadlines (as etcd's
 * lessor does after Promote); followers keep none, and a newly elected leader
 * gives every existing lease a fresh TTL rather than expiring them all at once
 * for the time it took to elect it. Expired leases are not deleted here: the
 * leader proposes their expiry through the log, so every replica deletes the
 * same keys at the same revision.
 *
 * <p>Thread-safe; the clock is injected (nanoseconds, monotonic).
 */
public final class LeaseExpiryTracker {
  /** How long an expiry proposal may stay unapplied before it is proposed again. */
  private static final long RETRY_EXPIRY_AFTER_NANOS = Duration.ofSeconds(2).toNanos();

  private final LongSupplier nanoClock;
  private final Map<Long, Long> deadlines = new HashMap<>();
  private final Map<Long, Long> expiryProposedAt = new HashMap<>();
  private boolean leader;

  public LeaseExpiryTracker(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Starts tracking: every lease gets its full TTL from now. */
  public synchronized void becomeLeader(Iterable<LeaseTable.Lease> leases) {
    leader = true;
    deadlines.clear();
    expiryProposedAt.clear();
    long now = nanoClock.getAsLong();
    for (LeaseTable.Lease lease : leases) {
      deadlines.put(lease.id(), now + seconds(lease.ttlSeconds()));
    }
  }

  public synchronized void stepDown() {
    leader = false;
    deadlines.clear();
    expiryProposedAt.clear();
  }

  public synchronized boolean isLeader() {
    return leader;
  }

  /** A lease was granted (applied); the leader starts its clock. */
  public synchronized void granted(long id, long ttlSeconds) {
    if (leader) {
      deadlines.put(id, nanoClock.getAsLong() + seconds(ttlSeconds));
    }
  }

  public synchronized void removed(long id) {
    deadlines.remove(id);
    expiryProposedAt.remove(id);
  }

  /**
   * Renews a lease for another TTL. Returns false if this replica is not the
   * leader, does not know the lease, or the lease's deadline has passed: its
   * expiry may already be in the log, so a renewal would promise a TTL that the
   * lease will not get (etcd's lessor refuses these too).
   */
  public synchronized boolean renew(long id, long ttlSeconds) {
    Long deadline = deadlines.get(id);
    if (!leader || deadline == null || deadline - nanoClock.getAsLong() <= 0) {
      return false;
    }
    deadlines.put(id, nanoClock.getAsLong() + seconds(ttlSeconds));
    expiryProposedAt.remove(id);
    return true;
  }

  /** Seconds left before the lease expires, rounded up; -1 if unknown here. */
  public synchronized long remainingSeconds(long id) {
    Long deadline = deadlines.get(id);
    if (deadline == null) {
      return -1;
    }
    long left = deadline - nanoClock.getAsLong();
    return left <= 0 ? 0 : (left + 999_999_999L) / 1_000_000_000L;
  }

  /**
   * Leases whose deadline has passed and whose expiry has not been proposed
   * recently; they are marked as proposed.
   */
  public synchronized List<Long> takeExpired() {
    if (!leader) {
      return List.of();
    }
    long now = nanoClock.getAsLong();
    List<Long> expired = new ArrayList<>();
    for (Map.Entry<Long, Long> e : deadlines.entrySet()) {
      if (e.getValue() - now <= 0) {
        Long proposedAt = expiryProposedAt.get(e.getKey());
        if (proposedAt == null || now - proposedAt > RETRY_EXPIRY_AFTER_NANOS) {
          expired.add(e.getKey());
          expiryProposedAt.put(e.getKey(), now);
        }
      }
    }
    return expired;
  }

  private static long seconds(long s) {
    return Duration.ofSeconds(s).toNanos();
  }
}
