package io.berth.controllers.nodelifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A token bucket (burst 1) over the nodes newly tainted NoExecute, whose rate follows the
 * disruption: one call takes a token if there is one. Unlike the work queue's bucket, a
 * refused call takes nothing, so a node asking again later is not charged twice.
 */
final class EvictionLimiter {
  private double tokens = 1;
  private Instant last;

  /**
   * Takes a token at {@code now} refilled at {@code perSecond}.
   *
   * @return empty if taken; else how long until one is due (a zero rate: a long while)
   */
  synchronized Optional<Duration> tryTake(Instant now, double perSecond) {
    if (last != null && perSecond > 0) {
      tokens = Math.min(1, tokens + Duration.between(last, now).toNanos() / 1e9 * perSecond);
    }
    last = now;
    if (perSecond <= 0) {
      return Optional.of(Duration.ofSeconds(10));
    }
    if (tokens >= 1) {
      tokens -= 1;
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) ((1 - tokens) / perSecond * 1e9)));
  }
}
