package io.berth.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {
  @Test
  void alwaysRestartsOnFailureOnlyAfterAFailureNeverNever() {
    assertThat(RestartPolicy.of(null).restarts(0)).isTrue();
    assertThat(RestartPolicy.of("OnFailure").restarts(0)).isFalse();
    assertThat(RestartPolicy.of("OnFailure").restarts(1)).isTrue();
    assertThat(RestartPolicy.of("Never").restarts(1)).isFalse();
  }

  @Test
  void initContainersRunUntilTheySucceedUnlessThePolicyIsNever() {
    assertThat(RestartPolicy.ALWAYS.restartsInit(1)).isTrue();
    assertThat(RestartPolicy.ALWAYS.restartsInit(0)).isFalse();
    assertThat(RestartPolicy.NEVER.restartsInit(1)).isFalse();
  }

  @Test
  void anUnknownPolicyIsRefused() {
    assertThatThrownBy(() -> RestartPolicy.of("Sometimes")).hasMessageContaining("Sometimes");
  }
}
