package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * One node as the scheduler sees it in a cycle: the node, the pods on it (bound and assumed),
 * what they request and what the node can give.
 */
public final class NodeInfo {
  private final Node node;
  private final List<Pod> pods;
  private final Resources requested;
  private final Resources allocatable;

  public NodeInfo(Node node, List<Pod> pods) {
    this.node = node;
    this.pods = List.copyOf(pods);
    Resources total = Resources.NONE;
    for (Pod pod : this.pods) {
      total = total.plus(Resources.requestedBy(pod));
    }
    this.requested = total;
    this.allocatable = Resources.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
  }

  public Node node() {
    return node;
  }

  public String name() {
    return node.getMetadata().getName();
  }

  public List<Pod> pods() {
    return pods;
  }

  public Resources requested() {
    return requested;
  }

  public Resources allocatable() {
    return allocatable;
  }

  public Resources free() {
    return allocatable.minus(requested);
  }
}
