package io.berth.controllers.nodelifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this controller last saw each node's heartbeat change, on its own clock. Comparing
 * the heartbeat's own timestamps with the controller's clock would make clock skew between
 * machines look like a dead node; noticing that the value changed does not. Kept per term:
 * a new leader gives every node a full grace period from the moment it starts.
 */
final class Heartbeats {
  private record Seen(String heartbeat, Instant at) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /**
   * Records the node's current heartbeat (Lease renewTime and Ready heartbeat time together)
   * and answers when it was first seen with this value.
   */
  Instant observe(String node, String heartbeat, Instant now) {
    return seen.compute(node, (n, last) -> last != null && Objects.equals(last.heartbeat(), heartbeat) ? last
        : new Seen(heartbeat, now)).at();
  }

  void forget(String node) {
    seen.remove(node);
  }
}
