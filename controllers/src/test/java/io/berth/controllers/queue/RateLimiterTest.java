package io.berth.controllers.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void perKeyBackoffDoublesUpToTheCapAndIsPerKey() {
    PerKeyBackoff backoff = new PerKeyBackoff(Duration.ofMillis(5), Duration.ofMillis(30));

    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(20));
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(30));
    for (int i = 0; i < 100; i++) {
      backoff.when("a");
    }
    assertThat(backoff.when("a")).as("no overflow after many failures").isEqualTo(Duration.ofMillis(30));
    assertThat(backoff.when("b")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void forgettingAKeyStartsItsBackoffOver() {
    PerKeyBackoff backoff = new PerKeyBackoff(Duration.ofMillis(5), Duration.ofSeconds(1));
    backoff.when("a");
    backoff.when("a");

    backoff.forget("a");

    assertThat(backoff.retries("a")).isZero();
    assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void tokenBucketAllowsABurstThenSpacesCallersAtItsRate() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(10, 3, now::get);

    assertThat(bucket.when("a")).isZero();
    assertThat(bucket.when("b")).isZero();
    assertThat(bucket.when("c")).isZero();
    assertThat(bucket.when("d")).isEqualTo(Duration.ofMillis(100));
    assertThat(bucket.when("e")).isEqualTo(Duration.ofMillis(200));

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(bucket.when("f")).as("refilled, but never beyond the burst").isZero();
  }

  @Test
  void maxOfWaitsForTheLongestLimiter() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = RateLimiter.maxOf(new PerKeyBackoff(Duration.ofMillis(5), Duration.ofSeconds(1)),
        new TokenBucket(1, 1, now::get));

    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("b")).as("the overall bucket is empty").isEqualTo(Duration.ofSeconds(1));
    assertThat(limiter.retries("a")).isEqualTo(1);
  }
}
