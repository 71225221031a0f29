package io.berth.client.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final EventCorrelator correlator = new EventCorrelator();
  private final ObjectReference rs = new ObjectReferenceBuilder().withKind("ReplicaSet").withNamespace("ns")
      .withName("web").withUid("u1").build();

  @Test
  void aRepeatedEventRaisesTheCountOfTheOneWritten() {
    EventCorrelator.Create first = (EventCorrelator.Create) correlator.observe(rs, "Warning", "FailedCreate", "quota",
        T0);
    correlator.created(first, "ns", "web.1", T0);

    EventCorrelator.Decision second = correlator.observe(rs, "Warning", "FailedCreate", "quota", T0.plusSeconds(1));
    EventCorrelator.Decision third = correlator.observe(rs, "Warning", "FailedCreate", "quota", T0.plusSeconds(2));

    assertThat(second).isEqualTo(new EventCorrelator.Repeat("ns", "web.1", 2, T0, "quota"));
    assertThat(((EventCorrelator.Repeat) third).count()).isEqualTo(3);
  }

  @Test
  void aDifferentMessageOrObjectIsANewEvent() {
    correlator.created((EventCorrelator.Create) correlator.observe(rs, "Normal", "SuccessfulCreate", "pod a", T0),
        "ns", "web.1", T0);

    assertThat(correlator.observe(rs, "Normal", "SuccessfulCreate", "pod b", T0))
        .isInstanceOf(EventCorrelator.Create.class);
    ObjectReference other = new ObjectReferenceBuilder(rs).withName("api").withUid("u2").build();
    assertThat(correlator.observe(other, "Normal", "SuccessfulCreate", "pod a", T0))
        .isInstanceOf(EventCorrelator.Create.class);
  }

  @Test
  void manyDifferentMessagesForOneReasonAreFoldedIntoOneCombinedEvent() {
    for (int i = 0; i < EventCorrelator.SIMILAR_LIMIT; i++) {
      EventCorrelator.Decision d = correlator.observe(rs, "Normal", "SuccessfulCreate", "pod " + i, T0);
      assertThat(d).isInstanceOf(EventCorrelator.Create.class);
      correlator.created((EventCorrelator.Create) d, "ns", "web." + i, T0);
    }

    EventCorrelator.Create combined = (EventCorrelator.Create) correlator.observe(rs, "Normal", "SuccessfulCreate",
        "pod 10", T0);
    correlator.created(combined, "ns", "web.c", T0);
    EventCorrelator.Decision next = correlator.observe(rs, "Normal", "SuccessfulCreate", "pod 11", T0);

    assertThat(combined.message()).isEqualTo("(combined from similar events): pod 10");
    assertThat(next).isEqualTo(new EventCorrelator.Repeat("ns", "web.c", 2, T0,
        "(combined from similar events): pod 11"));
  }

  @Test
  void theSimilarWindowStartsOverAfterTenMinutes() {
    for (int i = 0; i < EventCorrelator.SIMILAR_LIMIT; i++) {
      correlator.observe(rs, "Normal", "SuccessfulCreate", "pod " + i, T0);
    }

    EventCorrelator.Decision later = correlator.observe(rs, "Normal", "SuccessfulCreate", "pod 99",
        T0.plus(Duration.ofMinutes(11)));

    assertThat(((EventCorrelator.Create) later).message()).isEqualTo("pod 99");
  }
}
