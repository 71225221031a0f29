package io.berth.store.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LeaseExpiryTrackerTest {
  /** A fake monotonic clock in nanoseconds, started far from zero to catch code that assumes otherwise. */
  private long now = -5_000_000_000_000L;
  private final LeaseExpiryTracker tracker = new LeaseExpiryTracker(() -> now);

  private void advance(Duration d) {
    now += d.toNanos();
  }

  private static LeaseTable.Lease lease(long id, long ttlSeconds) {
    return new LeaseTable.Lease(id, ttlSeconds, new TreeSet<ByteString>(ByteString.unsignedLexicographicalComparator()));
  }

  @Test
  void followerTracksNothingAndExpiresNothing() {
    tracker.granted(1, 1);
    advance(Duration.ofHours(1));

    assertThat(tracker.isLeader()).isFalse();
    assertThat(tracker.takeExpired()).isEmpty();
    assertThat(tracker.remainingSeconds(1)).isEqualTo(-1);
    assertThat(tracker.renew(1, 1)).isFalse();
  }

  @Test
  void newLeaderGivesEveryLeaseAFreshTtl() {
    advance(Duration.ofHours(1)); // however long the leases lived under the old leader

    tracker.becomeLeader(List.of(lease(1, 10), lease(2, 60)));

    assertThat(tracker.isLeader()).isTrue();
    assertThat(tracker.remainingSeconds(1)).isEqualTo(10);
    assertThat(tracker.remainingSeconds(2)).isEqualTo(60);
    assertThat(tracker.takeExpired()).isEmpty();
  }

  @Test
  void leaseExpiresOnceItsTtlHasPassed() {
    tracker.becomeLeader(List.of(lease(1, 10), lease(2, 60)));

    advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(tracker.takeExpired()).isEmpty();
    advance(Duration.ofNanos(1));
    assertThat(tracker.takeExpired()).containsExactly(1L);
  }

  @Test
  void grantedLeaseStartsItsClockOnTheLeader() {
    tracker.becomeLeader(List.of());
    advance(Duration.ofSeconds(30));

    tracker.granted(5, 5);

    assertThat(tracker.remainingSeconds(5)).isEqualTo(5);
    advance(Duration.ofSeconds(5));
    assertThat(tracker.takeExpired()).containsExactly(5L);
  }

  @Test
  void renewGivesTheLeaseAnotherFullTtl() {
    tracker.becomeLeader(List.of(lease(1, 10)));
    advance(Duration.ofSeconds(8));

    assertThat(tracker.renew(1, 10)).isTrue();

    assertThat(tracker.remainingSeconds(1)).isEqualTo(10);
    advance(Duration.ofSeconds(9));
    assertThat(tracker.takeExpired()).isEmpty();
    advance(Duration.ofSeconds(1));
    assertThat(tracker.takeExpired()).containsExactly(1L);
  }

  @Test
  void renewOfUnknownLeaseFails() {
    tracker.becomeLeader(List.of());

    assertThat(tracker.renew(1, 10)).isFalse();
  }

  @Test
  void renewAfterTheDeadlineDoesNotReviveTheLease() {
    tracker.becomeLeader(List.of(lease(1, 10)));
    advance(Duration.ofSeconds(10));
    assertThat(tracker.takeExpired()).containsExactly(1L); // its expiry is on its way through the log

    assertThat(tracker.renew(1, 10)).isFalse();
    assertThat(tracker.remainingSeconds(1)).isZero();
  }

  @Test
  void takeExpiredDoesNotReturnALeaseAgainUntilTheRetryWindowPasses() {
    tracker.becomeLeader(List.of(lease(1, 1)));
    advance(Duration.ofSeconds(1));

    assertThat(tracker.takeExpired()).containsExactly(1L);
    assertThat(tracker.takeExpired()).isEmpty();
    advance(Duration.ofSeconds(2));
    assertThat(tracker.takeExpired()).isEmpty();
    advance(Duration.ofNanos(1));
    assertThat(tracker.takeExpired()).containsExactly(1L); // the proposal was lost: propose again
  }

  @Test
  void removedLeaseIsForgotten() {
    tracker.becomeLeader(List.of(lease(1, 1)));
    advance(Duration.ofSeconds(1));
    tracker.takeExpired();

    tracker.removed(1);

    advance(Duration.ofSeconds(10));
    assertThat(tracker.takeExpired()).isEmpty();
    assertThat(tracker.remainingSeconds(1)).isEqualTo(-1);
  }

  @Test
  void steppingDownForgetsEveryDeadline() {
    tracker.becomeLeader(List.of(lease(1, 1)));

    tracker.stepDown();
    advance(Duration.ofSeconds(5));

    assertThat(tracker.isLeader()).isFalse();
    assertThat(tracker.takeExpired()).isEmpty();
    assertThat(tracker.remainingSeconds(1)).isEqualTo(-1);
  }

  @Test
  void leadingAgainStartsFreshClocks() {
    tracker.becomeLeader(List.of(lease(1, 10)));
    advance(Duration.ofSeconds(9));
    tracker.stepDown();

    tracker.becomeLeader(List.of(lease(1, 10)));

    assertThat(tracker.remainingSeconds(1)).isEqualTo(10);
  }

  @Test
  void remainingSecondsRoundsUp() {
    tracker.becomeLeader(List.of(lease(1, 10)));

    assertThat(tracker.remainingSeconds(1)).isEqualTo(10);
    advance(Duration.ofNanos(1));
    assertThat(tracker.remainingSeconds(1)).isEqualTo(10);
    advance(Duration.ofMillis(500));
    assertThat(tracker.remainingSeconds(1)).isEqualTo(10);
    advance(Duration.ofMillis(500).minusNanos(1));
    assertThat(tracker.remainingSeconds(1)).isEqualTo(9);
    advance(Duration.ofSeconds(8).plusMillis(999));
    assertThat(tracker.remainingSeconds(1)).isEqualTo(1);
    advance(Duration.ofMillis(1));
    assertThat(tracker.remainingSeconds(1)).isZero();
    advance(Duration.ofSeconds(5));
    assertThat(tracker.remainingSeconds(1)).isZero();
  }
}
