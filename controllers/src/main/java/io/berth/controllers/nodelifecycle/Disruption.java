package io.berth.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;

/**
 * How much of the cluster looks unhealthy, which decides how fast nodes are tainted for
 * eviction (a simple form of Kubernetes' zone states, over the whole cluster as one zone).
 */
enum Disruption {
  /** Most nodes are Ready: evict at the normal rate. */
  NORMAL,
  /** More than the threshold of nodes (and at least three) are not Ready: evict slowly. */
  PARTIAL,
  /** No node is Ready: evict nothing; the control plane is probably the one cut off. */
  FULL;

  static Disruption of(Collection<Node> nodes, double unhealthyThreshold) {
    if (nodes.isEmpty()) {
      return NORMAL;
    }
    long unhealthy = nodes.stream().filter(n -> !NodeConditions.isReady(n)).count();
    if (unhealthy == nodes.size()) {
      return FULL;
    }
    return unhealthy > 2 && (double) unhealthy / nodes.size() > unhealthyThreshold ? PARTIAL : NORMAL;
  }

  double rate(NodeLifecycleSettings settings) {
    return switch (this) {
      case NORMAL -> settings.evictionRate();
      case PARTIAL -> settings.secondaryEvictionRate();
      case FULL -> 0;
    };
  }
}
