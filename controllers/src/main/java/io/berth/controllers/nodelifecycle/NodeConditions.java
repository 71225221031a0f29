package io.berth.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.Optional;

/** Reading a node's Ready condition. */
final class NodeConditions {
  private NodeConditions() {}

  static Optional<NodeCondition> ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  /** "True", "False" or "Unknown" (also when the node never reported it). */
  static String readyStatus(Node node) {
    return ready(node).map(NodeCondition::getStatus).orElse("Unknown");
  }

  static boolean isReady(Node node) {
    return "True".equals(readyStatus(node));
  }
}
