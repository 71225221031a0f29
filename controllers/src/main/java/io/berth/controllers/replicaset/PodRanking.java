package io.berth.controllers.replicaset;

import io.berth.controllers.workload.PodState;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.Map;

/**
 * The order in which a ReplicaSet gives up pods when it has too many: the least valuable
 * first, so that scaling down costs as little serving capacity as possible.
 */
final class PodRanking {
  private static final Map<String, Integer> PHASE_RANK = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

  /**
   * Unassigned before assigned; Pending before Unknown before Running; not ready before
   * ready; more restarts first; newer first (then by name, so the order is total).
   */
  static final Comparator<Pod> LEAST_VALUABLE_FIRST = Comparator
      .comparing(PodState::isAssigned)
      .thenComparing(pod -> PHASE_RANK.getOrDefault(PodState.phase(pod), 0))
      .thenComparing(PodState::isReady)
      .thenComparing(Comparator.comparingInt(PodState::maxRestarts).reversed())
      .thenComparing(Comparator.comparing(PodRanking::created).reversed())
      .thenComparing(pod -> pod.getMetadata().getName());

  private PodRanking() {}

  private static String created(Pod pod) {
    // RFC 3339 in UTC with whole seconds sorts as text; a pod not yet stamped is the newest.
    String at = pod.getMetadata().getCreationTimestamp();
    return at == null ? "9999" : at;
  }
}
