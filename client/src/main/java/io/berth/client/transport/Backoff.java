package io.berth.client.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential back-off with jitter: attempt 1 waits about {@code base}, each
 * further attempt doubles it, never past {@code cap}. The jitter (a uniform draw from
 * the upper half of the delay) keeps the agents and informers that all lost the same
 * endpoint from arriving at the next one in lockstep. Pure: it computes a delay and
 * never waits.
 */
public record Backoff(Duration base, Duration cap, RandomGenerator random) {

  public Backoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("back-off needs 0 < base <= cap, got " + base + " and " + cap);
    }
  }

  /** The wait before retry number {@code attempt} (1 for the first retry). */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt " + attempt);
    }
    // Shifting by more than 30 overflows; the cap is long reached by then.
    long exponential = base.toNanos() << Math.min(attempt - 1, 30);
    long capped = exponential <= 0 ? cap.toNanos() : Math.min(exponential, cap.toNanos());
    long half = capped / 2;
    return Duration.ofNanos(half + random.nextLong(half + 1));
  }
}
