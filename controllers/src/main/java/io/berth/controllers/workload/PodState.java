package io.berth.controllers.workload;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What controllers read from a pod's status: active, ready, available, restarts. */
public final class PodState {
  private PodState() {}

  /** Counts toward its owner's replicas: not being deleted, and not finished (Succeeded or Failed). */
  public static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return pod.getMetadata().getDeletionTimestamp() == null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  public static boolean isReady(Pod pod) {
    return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Ready for at least {@code minReady} at {@code now} (Kubernetes' "available"). */
  public static boolean isAvailable(Pod pod, Duration minReady, Instant now) {
    return availableAt(pod, minReady).map(at -> !at.isAfter(now)).orElse(false);
  }

  /** When a ready pod becomes available: its Ready transition plus {@code minReady}; empty if not ready. */
  public static Optional<Instant> availableAt(Pod pod, Duration minReady) {
    if (!isReady(pod)) {
      return Optional.empty();
    }
    if (minReady.isZero()) {
      return Optional.of(Instant.MIN);
    }
    String since = readyCondition(pod).map(PodCondition::getLastTransitionTime).orElse(null);
    // Ready without a transition time: count it as ready since forever, as Kubernetes does.
    return Optional.of(since == null || since.isEmpty() ? Instant.MIN : Instant.parse(since).plus(minReady));
  }

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  public static boolean isAssigned(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  /** The most restarts of any one container. */
  public static int maxRestarts(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getRestartCount).filter(c -> c != null).mapToInt(Integer::intValue).max().orElse(0);
  }

  private static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }
}
