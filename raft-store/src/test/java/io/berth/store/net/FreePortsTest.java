package io.berth.store.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void picksMadeBeforeAnyIsBoundAreNeverTheSamePort() {
    // 500 picks from 12,000 ports: without remembering them, a repeat is all but certain.
    Set<Integer> picked = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      int port = FreePorts.pick();
      assertThat(picked.add(port)).as("port %d handed out twice", port).isTrue();
      assertThat(port).isBetween(20_000, 31_999);
    }
  }
}
