package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes and pods one scheduling cycle decides from. Pods count on the node named by
 * spec.nodeName (assumed pods are given with it set); finished pods (Succeeded, Failed) hold
 * nothing.
 */
public final class ClusterSnapshot {
  private final List<NodeInfo> nodes;

  private ClusterSnapshot(List<NodeInfo> nodesInNameOrder, boolean unused) {
    this.nodes = nodesInNameOrder;
  }

  /** A snapshot of node views kept up to date elsewhere (the scheduler's cache), already in name order. */
  public static ClusterSnapshot of(List<NodeInfo> nodesInNameOrder) {
    return new ClusterSnapshot(List.copyOf(nodesInNameOrder), true);
  }

  public ClusterSnapshot(List<Node> nodes, List<Pod> pods) {
    Map<String, List<Pod>> byNode = new HashMap<>();
    for (Pod pod : pods) {
      String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (nodeName != null && !nodeName.isEmpty() && !finished(pod)) {
        byNode.computeIfAbsent(nodeName, name -> new ArrayList<>()).add(pod);
      }
    }
    this.nodes = nodes.stream()
        .sorted(Comparator.comparing(node -> node.getMetadata().getName()))
        .map(node -> new NodeInfo(node, byNode.getOrDefault(node.getMetadata().getName(), List.of())))
        .toList();
  }

  /** Every node, in name order. */
  public List<NodeInfo> nodes() {
    return nodes;
  }

  /** Succeeded and Failed pods hold no resources. */
  public static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
