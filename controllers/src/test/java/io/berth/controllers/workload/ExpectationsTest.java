package io.berth.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Expectations expectations = new Expectations(Duration.ofMinutes(5));

  @Test
  void creationsAreAwaitedUntilEachIsObserved() {
    expectations.expectCreations("ns/rs", 2, T0);
    assertThat(expectations.satisfied("ns/rs", T0)).isFalse();

    expectations.creationObserved("ns/rs");
    assertThat(expectations.satisfied("ns/rs", T0)).isFalse();
    expectations.creationObserved("ns/rs");
    assertThat(expectations.satisfied("ns/rs", T0)).isTrue();
    assertThat(expectations.satisfied("ns/other", T0)).as("nothing expected").isTrue();
  }

  @Test
  void deletionsAreAwaitedByPodAndOthersDoNotCount() {
    expectations.expectDeletions("ns/rs", List.of("ns/a", "ns/b"), T0);

    expectations.deletionObserved("ns/rs", "ns/zzz");
    expectations.deletionObserved("ns/rs", "ns/a");
    assertThat(expectations.satisfied("ns/rs", T0)).isFalse();
    expectations.deletionObserved("ns/rs", "ns/b");
    assertThat(expectations.satisfied("ns/rs", T0)).isTrue();
  }

  @Test
  void expectationsExpireSoALostEventCannotStallAnOwnerForever() {
    expectations.expectCreations("ns/rs", 1, T0);

    assertThat(expectations.satisfied("ns/rs", T0.plus(Duration.ofMinutes(4)))).isFalse();
    assertThat(expectations.satisfied("ns/rs", T0.plus(Duration.ofMinutes(6)))).isTrue();
  }
}
