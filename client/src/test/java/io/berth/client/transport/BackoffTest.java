package io.berth.client.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), new Random(7));

  @Test
  void eachRetryWaitsBetweenHalfAndAllOfADoublingDelay() {
    assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(backoff.delay(2)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void theDelayNeverPassesTheCapEvenAfterManyRetries() {
    assertThat(backoff.delay(5)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(backoff.delay(1_000)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
  }
}
