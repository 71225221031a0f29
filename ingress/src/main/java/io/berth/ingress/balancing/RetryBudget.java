package io.berth.ingress.balancing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds retries across all requests, so that a failing backend does not get multiplied
 * load: every request deposits {@code ratio} of a retry, every retry spends one, and a
 * reserve of {@code minRetries} is always allowed (for quiet periods). With the defaults
 * (20 %, reserve 10) at most about one request in five is retried once traffic is steady.
 * Counts are kept in thousandths to stay integral.
 */
public final class RetryBudget {
  private static final long UNIT = 1000;
  private final long deposit;
  private final long cap;
  private final AtomicLong balance;

  public RetryBudget(double ratio, int minRetries) {
    this.deposit = Math.round(ratio * UNIT);
    this.cap = Math.max(minRetries, 100) * UNIT;
    this.balance = new AtomicLong(minRetries * UNIT);
  }

  public static RetryBudget withDefaults() {
    return new RetryBudget(0.2, 10);
  }

  /** A request arrived. */
  public void requested() {
    balance.getAndUpdate(b -> Math.min(cap, b + deposit));
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  public boolean tryRetry() {
    long b;
    do {
      b = balance.get();
      if (b < UNIT) {
        return false;
      }
    } while (!balance.compareAndSet(b, b - UNIT));
    return true;
  }
}
