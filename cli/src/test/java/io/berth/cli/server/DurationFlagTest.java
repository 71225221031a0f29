package io.berth.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cli.UserError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationFlagTest {
  @Test
  void readsDurationsAsKubectlAndEtcdUsersWriteThem() {
    assertThat(DurationFlag.parse("--x", "0")).isEqualTo(Duration.ZERO);
    assertThat(DurationFlag.parse("--x", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationFlag.parse("--x", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationFlag.parse("--x", "250ms")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void anythingElseIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> DurationFlag.parse("--auto-compaction-retention", "1 hour"))
        .isInstanceOf(UserError.class).hasMessageContaining("--auto-compaction-retention");
    assertThatThrownBy(() -> DurationFlag.parse("--auto-compaction-retention", "10"))
        .isInstanceOf(UserError.class);
  }
}
