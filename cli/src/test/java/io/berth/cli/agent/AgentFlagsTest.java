package io.berth.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cli.UserError;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentFlagsTest {
  @Test
  void taintsAreReadAsKubectlWritesThem() {
    var taints = AgentFlags.taints(List.of("dedicated=gpu:NoSchedule", "spot:PreferNoSchedule"));
    assertThat(taints).hasSize(2);
    assertThat(taints.get(0).getKey()).isEqualTo("dedicated");
    assertThat(taints.get(0).getValue()).isEqualTo("gpu");
    assertThat(taints.get(0).getEffect()).isEqualTo("NoSchedule");
    assertThat(taints.get(1).getKey()).isEqualTo("spot");
    assertThat(taints.get(1).getValue()).isNull();
  }

  @Test
  void aTaintWithoutAKnownEffectIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> AgentFlags.taints(List.of("dedicated=gpu"))).isInstanceOf(UserError.class)
        .hasMessageContaining("--taints");
    assertThatThrownBy(() -> AgentFlags.taints(List.of("a=b:Sometimes"))).isInstanceOf(UserError.class);
  }

  @Test
  void quantitiesBecomeMillicoresAndBytes() {
    assertThat(AgentFlags.cpuMillis("--reserved-cpu", "250m")).isEqualTo(250);
    assertThat(AgentFlags.cpuMillis("--reserved-cpu", "2")).isEqualTo(2000);
    assertThat(AgentFlags.bytes("--reserved-memory", "256Mi")).isEqualTo(256L << 20);
    assertThatThrownBy(() -> AgentFlags.bytes("--reserved-memory", "lots")).isInstanceOf(UserError.class)
        .hasMessageContaining("--reserved-memory");
  }

  @Test
  void labelsAndPortRangesAreChecked() {
    assertThat(AgentFlags.labels(List.of("zone=a", "disk=ssd"))).containsEntry("zone", "a").containsEntry("disk", "ssd");
    assertThatThrownBy(() -> AgentFlags.labels(List.of("zone"))).isInstanceOf(UserError.class);
    assertThat(AgentFlags.range("--port-range", "40000-40099")).containsExactly(40000, 40099);
    assertThatThrownBy(() -> AgentFlags.range("--port-range", "5-2")).isInstanceOf(UserError.class);
    assertThatThrownBy(() -> AgentFlags.range("--port-range", "x")).isInstanceOf(UserError.class);
  }
}
