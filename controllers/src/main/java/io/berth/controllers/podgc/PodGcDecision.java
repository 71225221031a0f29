package io.berth.controllers.podgc;

import io.berth.controllers.workload.PodState;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which pods the pod garbage collector deletes, a pure function of the pods, the nodes
 * that exist and the threshold:
 * <ul>
 *   <li>finished pods (Succeeded, Failed) beyond the threshold, oldest first;</li>
 *   <li>pods bound to a node that does not exist, and pods being deleted on one, with grace
 *       0: no agent is left to finish their deletion.</li>
 * </ul>
 */
final class PodGcDecision {
  /** @param terminated delete normally; @param orphaned delete with grace 0 */
  record Plan(List<Pod> terminated, List<Pod> orphaned) {}

  private PodGcDecision() {}

  static Plan plan(List<Pod> pods, Set<String> nodes, int threshold) {
    List<Pod> orphaned = pods.stream()
        .filter(p -> PodState.isAssigned(p) && !nodes.contains(p.getSpec().getNodeName()))
        .toList();
    List<Pod> finished = pods.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && !orphaned.contains(p))
        .filter(p -> "Succeeded".equals(PodState.phase(p)) || "Failed".equals(PodState.phase(p)))
        .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
            .thenComparing(p -> p.getMetadata().getName()))
        .toList();
    int excess = Math.max(0, finished.size() - threshold);
    return new Plan(finished.subList(0, excess), orphaned);
  }
}
