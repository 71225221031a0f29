package io.berth.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeTrackerTest {
  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
  private final Probe probe = new ProbeBuilder().withInitialDelaySeconds(5).withPeriodSeconds(2)
      .withFailureThreshold(3).withSuccessThreshold(2).build();

  @Test
  void itIsDueAfterTheInitialDelayThenEveryPeriod() {
    ProbeTracker tracker = new ProbeTracker(probe, STARTED, ProbeTracker.Verdict.FAILURE);
    assertThat(tracker.due(STARTED.plusSeconds(4))).isFalse();
    assertThat(tracker.due(STARTED.plusSeconds(5))).isTrue();
    tracker.record(true, "", STARTED.plusSeconds(5));
    assertThat(tracker.due(STARTED.plusSeconds(6))).isFalse();
    assertThat(tracker.nextRun()).isEqualTo(STARTED.plusSeconds(7));
  }

  @Test
  void theVerdictChangesOnlyAfterThresholdResultsInARow() {
    ProbeTracker tracker = new ProbeTracker(probe, STARTED, ProbeTracker.Verdict.FAILURE);
    assertThat(tracker.record(true, "", STARTED)).isEqualTo(ProbeTracker.Verdict.FAILURE);
    assertThat(tracker.record(true, "", STARTED)).isEqualTo(ProbeTracker.Verdict.SUCCESS);
    assertThat(tracker.record(false, "refused", STARTED)).isEqualTo(ProbeTracker.Verdict.SUCCESS);
    assertThat(tracker.record(false, "refused", STARTED)).isEqualTo(ProbeTracker.Verdict.SUCCESS);
    // A success between failures starts the count again.
    assertThat(tracker.record(true, "", STARTED)).isEqualTo(ProbeTracker.Verdict.SUCCESS);
    tracker.record(false, "a", STARTED);
    tracker.record(false, "b", STARTED);
    assertThat(tracker.record(false, "c", STARTED)).isEqualTo(ProbeTracker.Verdict.FAILURE);
    assertThat(tracker.lastFailure()).isEqualTo("c");
  }
}
