package io.berth.controllers.queue;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Exponential back-off per key: {@code base * 2^retries}, at most {@code cap}. A key
 * that keeps failing settles at the cap; one that succeeds is forgotten and starts again
 * from {@code base}. No jitter: the overall {@link TokenBucket} already spreads retries.
 */
public final class PerKeyBackoff implements RateLimiter {
  private final Duration base;
  private final Duration cap;
  private final ConcurrentMap<String, Integer> failures = new ConcurrentHashMap<>();

  public PerKeyBackoff(Duration base, Duration cap) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap, got " + base + " and " + cap);
    }
    this.base = base;
    this.cap = cap;
  }

  @Override
  public Duration when(String key) {
    int exponent = failures.merge(key, 1, Integer::sum) - 1;
    // Past 2^62 the multiplication would overflow; the cap is reached long before.
    if (exponent >= 62) {
      return cap;
    }
    long nanos = base.toNanos();
    long factor = 1L << exponent;
    if (nanos > cap.toNanos() / factor) {
      return cap;
    }
    return Duration.ofNanos(nanos * factor);
  }

  @Override
  public void forget(String key) {
    failures.remove(key);
  }

  @Override
  public int retries(String key) {
    return failures.getOrDefault(key, 0);
  }
}
