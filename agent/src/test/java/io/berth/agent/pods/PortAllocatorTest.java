package io.berth.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
  @Test
  void portsAreHandedOutOnceAndSkipThoseInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.1.250"), 0));
      int busy = taken.getLocalPort();
      PortAllocator ports = new PortAllocator("127.0.1.250", busy, busy + 2);
      int first = ports.allocate();
      int second = ports.allocate();
      assertThat(first).isNotEqualTo(busy);
      assertThat(second).isNotIn(busy, first);
      assertThatThrownBy(ports::allocate).hasMessageContaining("no free port");
      ports.release(first);
      assertThat(ports.allocate()).isEqualTo(first);
    }
  }
}
