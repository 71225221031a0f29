package io.berth.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrashLoopBackoffTest {
  private final CrashLoopBackoff backoff = CrashLoopBackoff.KUBELET;

  @Test
  void theFirstCrashIsRestartedAtOnceThenTheWaitDoublesUpToTheCap() {
    Duration shortRun = Duration.ofSeconds(1);
    assertThat(backoff.delay(0, shortRun)).isZero();
    assertThat(backoff.delay(1, shortRun)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.delay(2, shortRun)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.delay(3, shortRun)).isEqualTo(Duration.ofSeconds(40));
    assertThat(backoff.delay(6, shortRun)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.delay(60, shortRun)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aRunThatLastedLongEnoughResetsTheBackoff() {
    assertThat(backoff.delay(8, Duration.ofMinutes(10))).isZero();
    assertThat(backoff.delay(8, Duration.ofMinutes(9))).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void restartAtCountsFromTheExit() {
    Instant started = Instant.parse("2026-01-01T00:00:00Z");
    Instant finished = started.plusSeconds(2);
    assertThat(backoff.restartAt(2, started, finished)).isEqualTo(finished.plusSeconds(20));
  }
}
