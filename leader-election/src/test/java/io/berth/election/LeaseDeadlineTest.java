package io.berth.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseDeadlineTest {
  private static final long MS = 1_000_000L;

  @Test
  void deadlineIsTtlAfterTheGrantWasSentMinusTheMargin() {
    LeaseDeadline deadline = new LeaseDeadline(Duration.ofMillis(250), 1_000 * MS, 1);

    assertThat(deadline.passed(1_749 * MS)).isFalse();
    assertThat(deadline.passed(1_750 * MS)).isTrue();
    assertThat(deadline.remainingNanos(1_500 * MS)).isEqualTo(250 * MS);
  }

  @Test
  void aRenewalCountsFromWhenTheKeepAliveWasSentNotWhenItWasAnswered() {
    LeaseDeadline deadline = new LeaseDeadline(Duration.ofMillis(250), 0, 1);

    deadline.renewed(600 * MS, 1); // answered much later, say at 900 ms: that does not matter

    assertThat(deadline.passed(1_349 * MS)).isFalse();
    assertThat(deadline.passed(1_350 * MS)).isTrue();
  }

  @Test
  void anAnswerToAnOlderKeepAliveNeverShortensTheDeadline() {
    LeaseDeadline deadline = new LeaseDeadline(Duration.ofMillis(250), 0, 1);
    deadline.renewed(800 * MS, 1);

    deadline.renewed(400 * MS, 1);

    assertThat(deadline.passed(1_549 * MS)).isFalse();
  }

  @Test
  void theStoresGrantedTtlIsUsedRatherThanTheOneAskedFor() {
    LeaseDeadline deadline = new LeaseDeadline(Duration.ofMillis(250), 0, 3);

    assertThat(deadline.passed(2_749 * MS)).isFalse();
    assertThat(deadline.passed(2_750 * MS)).isTrue();
  }

  @Test
  void worksAcrossTheWrapOfTheNanosecondClock() {
    long start = Long.MAX_VALUE - 100 * MS;
    LeaseDeadline deadline = new LeaseDeadline(Duration.ofMillis(250), start, 1);

    assertThat(deadline.passed(start + 749 * MS)).isFalse();
    assertThat(deadline.passed(start + 750 * MS)).isTrue();
  }
}
