package io.berth.controllers.queue;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * An overall limit on retries, whatever their key: {@code burst} at once, then
 * {@code perSecond}. Each call reserves the next free token and answers how long until
 * it is due, so callers queue up behind each other instead of all retrying at once.
 */
public final class TokenBucket implements RateLimiter {
  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long lastNanos;

  /** @param nanoTime the clock (System::nanoTime; tests pass their own) */
  public TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("need a positive rate and a burst of at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.lastNanos = nanoTime.getAsLong();
  }

  @Override
  public synchronized Duration when(String key) {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    // In debt: this caller waits until the bucket has refilled up to its token.
    return Duration.ofNanos((long) (-tokens / perSecond * 1e9));
  }

  @Override
  public void forget(String key) {
    // Overall, not per key: nothing to forget.
  }

  @Override
  public int retries(String key) {
    return 0;
  }
}
