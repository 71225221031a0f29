package io.berth.controllers.queue;

import java.time.Duration;

/**
 * How long a key must wait before it is tried again. Thread-safe.
 * Implementations: {@link PerKeyBackoff} (per key, exponential), {@link TokenBucket}
 * (overall), and {@link #maxOf} (the longest of several, as controllers use both).
 */
public interface RateLimiter {

  /** The wait before {@code key} may be processed again; counts one more retry of it. */
  Duration when(String key);

  /** {@code key} succeeded: its own back-off starts from the beginning next time. */
  void forget(String key);

  /** How many times {@code key} was retried since it was last forgotten. */
  int retries(String key);

  /** A limiter whose wait is the longest of {@code limiters}' (each one still counts the retry). */
  static RateLimiter maxOf(RateLimiter... limiters) {
    return new RateLimiter() {
      @Override
      public Duration when(String key) {
        Duration longest = Duration.ZERO;
        for (RateLimiter limiter : limiters) {
          Duration wait = limiter.when(key);
          if (wait.compareTo(longest) > 0) {
            longest = wait;
          }
        }
        return longest;
      }

      @Override
      public void forget(String key) {
        for (RateLimiter limiter : limiters) {
          limiter.forget(key);
        }
      }

      @Override
      public int retries(String key) {
        int most = 0;
        for (RateLimiter limiter : limiters) {
          most = Math.max(most, limiter.retries(key));
        }
        return most;
      }
    };
  }

  /**
   * The default of every controller: per key 5 ms doubling to {@code cap}, and overall no
   * more than 10 retries a second after a burst of 100 (so a failing API is not hammered
   * by every key at once).
   */
  static RateLimiter controllerDefault(Duration cap) {
    return maxOf(new PerKeyBackoff(Duration.ofMillis(5), cap), new TokenBucket(10, 100, System::nanoTime));
  }
}
