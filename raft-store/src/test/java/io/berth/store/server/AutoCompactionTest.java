package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AutoCompactionTest {
  private final AutoCompaction compaction = new AutoCompaction(Duration.ofSeconds(10));

  @Test
  void nothingIsCompactedBeforeTheRetentionHasPassed() {
    assertThat(compaction.tick(0, 5, 0, true)).isEmpty();
    assertThat(compaction.tick(9_999, 50, 0, true)).isEmpty();
  }

  @Test
  void compactsAtTheNewestRevisionRecordedAtLeastTheRetentionAgo() {
    compaction.tick(0, 5, 0, true);
    compaction.tick(4_000, 20, 0, true);
    compaction.tick(8_000, 30, 0, true);

    assertThat(compaction.tick(14_000, 90, 0, true)).isEqualTo(OptionalLong.of(20));
    assertThat(compaction.tick(18_000, 95, 20, true)).isEqualTo(OptionalLong.of(30));
  }

  @Test
  void aRevisionAlreadyCompactedIsNotCompactedAgain() {
    compaction.tick(0, 5, 0, true);
    compaction.tick(1_000, 5, 0, true);

    assertThat(compaction.tick(10_000, 5, 0, true)).isEqualTo(OptionalLong.of(5));
    assertThat(compaction.tick(11_000, 5, 5, true)).isEmpty();
  }

  @Test
  void aFollowerForgetsItsSamplesAndANewLeaderStartsItsOwnWindow() {
    compaction.tick(0, 5, 0, true);
    assertThat(compaction.tick(5_000, 10, 0, false)).isEmpty();

    assertThat(compaction.tick(10_000, 12, 0, true)).isEmpty();
    assertThat(compaction.tick(20_000, 15, 0, true)).isEqualTo(OptionalLong.of(12));
  }

  @Test
  void ticksAreATenthOfTheRetentionWithinBounds() {
    assertThat(AutoCompaction.tickInterval(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
    assertThat(AutoCompaction.tickInterval(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(1));
    assertThat(AutoCompaction.tickInterval(Duration.ofHours(24))).isEqualTo(Duration.ofMinutes(5));
  }
}
