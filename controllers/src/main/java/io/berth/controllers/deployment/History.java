package io.berth.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Comparator;
import java.util.List;

/**
 * Which old ReplicaSets to delete so that at most revisionHistoryLimit remain for rollbacks:
 * only empty ones (size 0 and no pods), oldest revision first.
 */
public final class History {
  private History() {}

  public static List<ReplicaSet> surplus(List<ReplicaSet> olds, int limit) {
    List<ReplicaSet> empty = olds.stream()
        .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
        .filter(rs -> rs.getSpec().getReplicas() != null && rs.getSpec().getReplicas() == 0)
        .filter(rs -> rs.getStatus() == null || rs.getStatus().getReplicas() == null
            || rs.getStatus().getReplicas() == 0)
        .sorted(Comparator.comparingLong(Revisions::of).thenComparing(rs -> rs.getMetadata().getName()))
        .toList();
    int excess = olds.size() - limit;
    return excess <= 0 ? List.of() : empty.subList(0, Math.min(excess, empty.size()));
  }
}
