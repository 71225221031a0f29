package io.berth.ingress.balancing;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Passive health: an upstream that refused a connection (or could not be reached in time) is
 * left out of balancing for a while, so that the requests after the failing one do not try it
 * again. Ejection lasts {@code base}, doubling for each further failure in a row up to
 * {@code max}; a successful connection forgets the upstream's failures.
 */
public final class Ejections {
  private final ConcurrentHashMap<Upstream, State> states = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final long baseNanos;
  private final long maxNanos;

  private record State(int failures, long ejectedUntil) {}

  public Ejections(Duration base, Duration max, LongSupplier nanoClock) {
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
    this.nanoClock = nanoClock;
  }

  public static Ejections withDefaults() {
    return new Ejections(Duration.ofSeconds(2), Duration.ofSeconds(30), System::nanoTime);
  }

  /** Records a failed connection attempt; returns true when this newly ejects the upstream. */
  public boolean connectFailed(Upstream upstream) {
    long now = nanoClock.getAsLong();
    State before = states.get(upstream);
    states.compute(upstream, (u, s) -> {
      int failures = s == null ? 1 : s.failures + 1;
      long duration = Math.min(maxNanos, baseNanos << Math.min(failures - 1, 20));
      return new State(failures, now + duration);
    });
    return before == null || before.ejectedUntil - now <= 0;
  }

  /** Records a successful connection. */
  public void connected(Upstream upstream) {
    if (!states.isEmpty()) {
      states.remove(upstream);
    }
  }

  public boolean isEjected(Upstream upstream) {
    if (states.isEmpty()) {
      return false;
    }
    State s = states.get(upstream);
    return s != null && s.ejectedUntil - nanoClock.getAsLong() > 0;
  }
}
