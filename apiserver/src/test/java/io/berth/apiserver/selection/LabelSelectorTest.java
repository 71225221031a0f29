package io.berth.apiserver.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Examples from the Kubernetes documentation on labels and selectors. */
class LabelSelectorTest {
  private static final Map<String, String> PROD_FRONTEND = Map.of("environment", "production", "tier", "frontend");
  private static final Map<String, String> QA = Map.of("environment", "qa");

  @Test
  void equalityBased() {
    assertThat(LabelSelector.parse("environment=production").matches(PROD_FRONTEND)).isTrue();
    assertThat(LabelSelector.parse("environment==production").matches(QA)).isFalse();
    assertThat(LabelSelector.parse("tier!=frontend").matches(QA)).as("absent key").isTrue();
    assertThat(LabelSelector.parse("environment=production,tier!=frontend").matches(PROD_FRONTEND)).isFalse();
  }

  @Test
  void setBased() {
    LabelSelector in = LabelSelector.parse("environment in (production, qa)");
    assertThat(in.matches(PROD_FRONTEND)).isTrue();
    assertThat(in.matches(QA)).isTrue();
    assertThat(in.matches(Map.of())).isFalse();
    LabelSelector notIn = LabelSelector.parse("tier notin (frontend,backend)");
    assertThat(notIn.matches(PROD_FRONTEND)).isFalse();
    assertThat(notIn.matches(QA)).isTrue();
    assertThat(LabelSelector.parse("environment in (production,qa),tier=frontend").matches(PROD_FRONTEND)).isTrue();
  }

  @Test
  void existence() {
    assertThat(LabelSelector.parse("tier").matches(PROD_FRONTEND)).isTrue();
    assertThat(LabelSelector.parse("!tier").matches(PROD_FRONTEND)).isFalse();
    assertThat(LabelSelector.parse("!tier").matches(QA)).isTrue();
  }

  @Test
  void emptySelectorMatchesEverything() {
    assertThat(LabelSelector.parse("").matches(null)).isTrue();
    assertThat(LabelSelector.parse(null).matches(QA)).isTrue();
  }

  @Test
  void malformedSelectorsAreRefused() {
    assertThatThrownBy(() -> LabelSelector.parse("env in (a,b")).hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> LabelSelector.parse("=x")).hasMessageContaining("invalid label key");
  }
}
