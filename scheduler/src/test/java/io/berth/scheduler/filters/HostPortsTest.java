package io.berth.scheduler.filters;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostPortsTest {
  @Test
  void aTakenPortSendsThePodElsewhere() {
    var cluster = cluster(node("a"), node("b")).with(pod("web-1").on("a").hostPort(8080));
    assertThat(cluster.placed(pod("web-2").hostPort(8080))).isEqualTo("b");
    assertThat(cluster.placed(pod("web-2").hostPort(9090))).isEqualTo("a");
  }

  @Test
  void message() {
    var cluster = cluster(node("a")).with(pod("web-1").on("a").hostPort(8080));
    assertThat(cluster.failure(pod("web-2").hostPort(8080)))
        .isEqualTo("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.");
  }

  @Test
  void conflictNeedsTheSamePortProtocolAndAnOverlappingAddress() {
    var tcp = new HostPorts.HostPort("", "TCP", 80);
    assertThat(tcp.conflictsWith(new HostPorts.HostPort("10.0.0.1", "TCP", 80))).isTrue();
    assertThat(tcp.conflictsWith(new HostPorts.HostPort("", "UDP", 80))).isFalse();
    assertThat(new HostPorts.HostPort("10.0.0.1", "TCP", 80).conflictsWith(new HostPorts.HostPort("10.0.0.2", "TCP", 80))).isFalse();
  }
}
