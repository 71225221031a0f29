package io.berth.controllers.replicaset;

import io.berth.controllers.workload.Claims;
import io.berth.controllers.workload.PodState;
import io.berth.controllers.workload.Selectors;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ReplicaSet controller's decision, a pure function of the ReplicaSet, the pods of its
 * namespace, whether its expectations are satisfied, and the time.
 */
final class ReplicaSetDecision {
  /** At most this many creates or deletes per sync, as kube-controller-manager's burstReplicas. */
  static final int BURST = 500;

  private ReplicaSetDecision() {}

  static ReplicaSetPlan plan(ReplicaSet rs, List<Pod> podsInNamespace, boolean expectationsSatisfied, Instant now) {
    Claims<Pod> claims = Claims.decide(rs, rs.getSpec().getSelector(), podsInNamespace);
    List<Pod> active = claims.claimed().stream().filter(PodState::isActive).toList();
    int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    int create = 0;
    List<Pod> delete = List.of();
    // A ReplicaSet being deleted is left to the garbage collector; one whose last writes
    // are not yet in the cache waits for them rather than acting on a stale count.
    if (expectationsSatisfied && rs.getMetadata().getDeletionTimestamp() == null) {
      int diff = active.size() - desired;
      if (diff < 0) {
        create = Math.min(-diff, BURST);
      } else if (diff > 0) {
        delete = active.stream().sorted(PodRanking.LEAST_VALUABLE_FIRST).limit(Math.min(diff, BURST)).toList();
      }
    }
    Duration minReady = Duration.ofSeconds(rs.getSpec().getMinReadySeconds() == null ? 0
        : rs.getSpec().getMinReadySeconds());
    return new ReplicaSetPlan(claims.adopt(), claims.release(), create, delete, status(rs, active, minReady, now),
        nextAvailability(active, minReady, now).orElse(null));
  }

  /** The status from the active pods this ReplicaSet owns. */
  static ReplicaSetStatus status(ReplicaSet rs, List<Pod> active, Duration minReady, Instant now) {
    Map<String, String> templateLabels = rs.getSpec().getTemplate() == null
        || rs.getSpec().getTemplate().getMetadata() == null ? Map.of()
        : Optional.ofNullable(rs.getSpec().getTemplate().getMetadata().getLabels()).orElse(Map.of());
    int fullyLabeled = (int) active.stream().filter(p -> p.getMetadata().getLabels() != null
        && p.getMetadata().getLabels().entrySet().containsAll(templateLabels.entrySet())).count();
    int ready = (int) active.stream().filter(PodState::isReady).count();
    int available = (int) active.stream().filter(p -> PodState.isAvailable(p, minReady, now)).count();
    return new ReplicaSetStatusBuilder()
        .withReplicas(active.size())
        .withFullyLabeledReplicas(fullyLabeled)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .withObservedGeneration(rs.getMetadata().getGeneration())
        .withConditions(rs.getStatus() == null ? List.of() : rs.getStatus().getConditions())
        .build();
  }

  /** How long until the next ready pod becomes available, if one is waiting for minReadySeconds. */
  private static Optional<Duration> nextAvailability(List<Pod> active, Duration minReady, Instant now) {
    return active.stream()
        .map(p -> PodState.availableAt(p, minReady))
        .flatMap(Optional::stream)
        .filter(at -> at.isAfter(now))
        .min(Instant::compareTo)
        .map(at -> Duration.between(now, at).plusMillis(100));
  }

  /** Whether a pod matches the ReplicaSet's selector (its informer handlers use this to find adopters). */
  static boolean selects(ReplicaSet rs, Pod pod) {
    return Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels());
  }
}
