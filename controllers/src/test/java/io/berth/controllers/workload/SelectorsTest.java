package io.berth.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorsTest {

  @Test
  void labelsAndExpressionsMustAllHold() {
    LabelSelector selector = new LabelSelectorBuilder().addToMatchLabels("app", "web")
        .addNewMatchExpression().withKey("tier").withOperator("In").withValues("front", "edge").endMatchExpression()
        .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
        .build();

    assertThat(Selectors.matches(selector, Map.of("app", "web", "tier", "edge"))).isTrue();
    assertThat(Selectors.matches(selector, Map.of("app", "web", "tier", "back"))).isFalse();
    assertThat(Selectors.matches(selector, Map.of("app", "web", "tier", "edge", "canary", "1"))).isFalse();
    assertThat(Selectors.matches(selector, Map.of("tier", "edge"))).isFalse();
  }

  @Test
  void anEmptySelectorMatchesNothing() {
    assertThat(Selectors.matches(new LabelSelector(), Map.of("app", "web"))).isFalse();
    assertThat(Selectors.matches(null, Map.of())).isFalse();
  }
}
