package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as the scheduler sees it in a cycle: the node, the pods on it (bound and assumed),
 * what they request and what the node can give.
 *
 * <p>Facts that every cycle asks of every node are worked out once, when the view is built
 * (as kube-scheduler's NodeInfo does): a cycle looks at hundreds of nodes, and the view is
 * rebuilt only when one of its pods or the node itself changes.
 */
public final class NodeInfo {
  private final Node node;
  private final List<Pod> pods;
  private final Resources requested;
  private final Resources allocatable;
  private final Resources free;
  private final String readyStatus;
  private final List<Pod> podsWithRequiredAntiAffinity;
  private final Map<String, Integer> podsByController;

  public NodeInfo(Node node, List<Pod> pods) {
    this.node = node;
    this.pods = List.copyOf(pods);
    Resources total = Resources.NONE;
    List<Pod> withAntiAffinity = new ArrayList<>();
    Map<String, Integer> byController = new HashMap<>();
    for (Pod pod : this.pods) {
      total = total.plus(Resources.requestedBy(pod));
      if (hasRequiredAntiAffinity(pod)) {
        withAntiAffinity.add(pod);
      }
      String controller = controllerKey(pod);
      if (controller != null) {
        byController.merge(controller, 1, Integer::sum);
      }
    }
    this.requested = total;
    this.allocatable = Resources.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
    this.free = allocatable.minus(requested);
    this.readyStatus = readyStatusOf(node);
    this.podsWithRequiredAntiAffinity = List.copyOf(withAntiAffinity);
    this.podsByController = Map.copyOf(byController);
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
    return free;
  }

  /** The status of the node's Ready condition: True, False, or Unknown (also when it has none). */
  public String readyStatus() {
    return readyStatus;
  }

  /** The pods on the node that have required pod anti-affinity terms (usually none). */
  public List<Pod> podsWithRequiredAntiAffinity() {
    return podsWithRequiredAntiAffinity;
  }

  /** How many pods on the node have this controller ({@link #controllerKey}). */
  public int podsOfController(String controllerKey) {
    return podsByController.getOrDefault(controllerKey, 0);
  }

  /** namespace/uid of the pod's controlling owner, or null when it has none. */
  public static String controllerKey(Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners == null) {
      return null;
    }
    for (OwnerReference owner : owners) {
      if (Boolean.TRUE.equals(owner.getController())) {
        return pod.getMetadata().getNamespace() + "/" + owner.getUid();
      }
    }
    return null;
  }

  public static boolean hasRequiredAntiAffinity(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getAffinity() != null
        && pod.getSpec().getAffinity().getPodAntiAffinity() != null
        && pod.getSpec().getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null
        && !pod.getSpec().getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().isEmpty();
  }

  private static String readyStatusOf(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return "Unknown";
    }
    for (NodeCondition condition : node.getStatus().getConditions()) {
      if ("Ready".equals(condition.getType())) {
        return condition.getStatus() == null ? "Unknown" : condition.getStatus();
      }
    }
    return "Unknown";
  }
}
