package io.berth.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ElectionSettingsTest {
  @Test
  void defaultsLetALeaderStopBeforeItsLeaseCanExpireWithRoomForSeveralKeepAlives() {
    ElectionSettings d = ElectionSettings.defaults();

    assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.ttl().minus(d.safetyMargin()).dividedBy(d.renewPeriod())).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theTtlIsWholeSecondsBecauseTheStoreGrantsSeconds() {
    assertThatThrownBy(() -> ElectionSettings.builder().ttl(Duration.ofMillis(1500)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ElectionSettings.builder().ttl(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRenewPeriodThatLeavesRoomForOnlyOneKeepAliveIsRefused() {
    assertThatThrownBy(() -> ElectionSettings.builder().renewPeriod(Duration.ofMillis(400)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least two keep-alives");
  }

  @Test
  void theMarginMustLeaveSomeOfTheTtl() {
    assertThatThrownBy(() -> ElectionSettings.builder().safetyMargin(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
