package io.berth.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Deployment's status, computed from its ReplicaSets' statuses (as kubectl rollout status
 * reads it): counts, observedGeneration, and the Available and Progressing conditions with
 * Kubernetes' reasons. Pure: the time is an argument.
 */
public final class DeploymentStatuses {
  static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  static final String RS_UPDATED = "ReplicaSetUpdated";
  static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  static final String DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  static final String PAUSED = "DeploymentPaused";
  static final String RESUMED = "DeploymentResumed";

  /** @param recheckAfter when to look again for the progress deadline, or null */
  public record Outcome(DeploymentStatus status, Duration recheckAfter) {}

  private DeploymentStatuses() {}

  /**
   * @param newRs the ReplicaSet of the current template, or null
   * @param createdNewRs whether this sync created it
   */
  public static Outcome compute(Deployment d, ReplicaSet newRs, List<ReplicaSet> all, boolean createdNewRs,
      Instant now) {
    int desired = Bounds.replicas(d);
    int replicas = all.stream().mapToInt(rs -> count(rs.getStatus() == null ? null : rs.getStatus().getReplicas()))
        .sum();
    int updated = newRs == null || newRs.getStatus() == null ? 0 : count(newRs.getStatus().getReplicas());
    int ready = all.stream().mapToInt(rs -> rs.getStatus() == null ? 0 : count(rs.getStatus().getReadyReplicas()))
        .sum();
    int available = all.stream()
        .mapToInt(rs -> rs.getStatus() == null ? 0 : count(rs.getStatus().getAvailableReplicas())).sum();
    int sized = all.stream().mapToInt(rs -> count(rs.getSpec().getReplicas())).sum();
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();

    Conditions conditions = new Conditions(old.getConditions());
    if (available >= desired - Bounds.of(d).maxUnavailable()) {
      conditions.set(Conditions.AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.",
          now);
    } else {
      conditions.set(Conditions.AVAILABLE, "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.", now);
    }
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas).withUpdatedReplicas(updated).withReadyReplicas(ready)
        .withAvailableReplicas(available).withUnavailableReplicas(Math.max(0, sized - available))
        .withCollisionCount(old.getCollisionCount())
        .build();
    Duration recheck = progress(d, newRs, createdNewRs, old, status, conditions, now);
    status.setConditions(conditions.list());
    return new Outcome(status, recheck);
  }

  /** Sets Progressing; answers when the deadline should be checked again. */
  private static Duration progress(Deployment d, ReplicaSet newRs, boolean createdNewRs, DeploymentStatus old,
      DeploymentStatus now, Conditions conditions, Instant at) {
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    String reason = conditions.reason(Conditions.PROGRESSING).orElse(null);
    if (paused) {
      if (!PAUSED.equals(reason)) {
        conditions.refresh(Conditions.PROGRESSING, "Unknown", PAUSED, "Deployment is paused", at);
      }
      return null;
    }
    if (PAUSED.equals(reason)) {
      // The deadline counts again from now, not from before the pause.
      conditions.refresh(Conditions.PROGRESSING, "Unknown", RESUMED, "Deployment is resumed", at);
    }
    if (newRs == null) {
      return null;
    }
    String name = "ReplicaSet \"" + newRs.getMetadata().getName() + "\"";
    if (createdNewRs) {
      conditions.refresh(Conditions.PROGRESSING, "True", NEW_RS_CREATED,
          "Created new replica set \"" + newRs.getMetadata().getName() + "\"", at);
    } else if (conditions.get(Conditions.PROGRESSING).isEmpty()) {
      conditions.refresh(Conditions.PROGRESSING, "True", FOUND_NEW_RS,
          "Found new replica set \"" + newRs.getMetadata().getName() + "\"", at);
    }
    if (isComplete(d, now)) {
      conditions.set(Conditions.PROGRESSING, "True", NEW_RS_AVAILABLE, name + " has successfully progressed.", at);
      return null;
    }
    if (madeProgress(old, now)) {
      conditions.refresh(Conditions.PROGRESSING, "True", RS_UPDATED, name + " is progressing.", at);
    } else if (timedOut(d, conditions, at)) {
      conditions.set(Conditions.PROGRESSING, "False", DEADLINE_EXCEEDED, name + " has timed out progressing.", at);
    }
    return untilDeadline(d, conditions, at);
  }

  /** Every replica is of the new template and available, and this generation was observed. */
  public static boolean isComplete(Deployment d, DeploymentStatus status) {
    int desired = Bounds.replicas(d);
    return count(status.getUpdatedReplicas()) == desired && count(status.getReplicas()) == desired
        && count(status.getAvailableReplicas()) == desired
        && status.getObservedGeneration() != null && status.getObservedGeneration() >= d.getMetadata().getGeneration();
  }

  private static boolean madeProgress(DeploymentStatus old, DeploymentStatus now) {
    int oldLeftBefore = count(old.getReplicas()) - count(old.getUpdatedReplicas());
    int oldLeftNow = count(now.getReplicas()) - count(now.getUpdatedReplicas());
    return count(now.getUpdatedReplicas()) > count(old.getUpdatedReplicas()) || oldLeftNow < oldLeftBefore
        || count(now.getReadyReplicas()) > count(old.getReadyReplicas())
        || count(now.getAvailableReplicas()) > count(old.getAvailableReplicas());
  }

  private static boolean timedOut(Deployment d, Conditions conditions, Instant now) {
    Integer deadline = d.getSpec().getProgressDeadlineSeconds();
    DeploymentCondition progressing = conditions.get(Conditions.PROGRESSING).orElse(null);
    if (deadline == null || progressing == null || NEW_RS_AVAILABLE.equals(progressing.getReason())) {
      return false;
    }
    if (DEADLINE_EXCEEDED.equals(progressing.getReason())) {
      return true;
    }
    return Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadline).isBefore(now);
  }

  private static Duration untilDeadline(Deployment d, Conditions conditions, Instant now) {
    Integer deadline = d.getSpec().getProgressDeadlineSeconds();
    DeploymentCondition progressing = conditions.get(Conditions.PROGRESSING).orElse(null);
    if (deadline == null || progressing == null || DEADLINE_EXCEEDED.equals(progressing.getReason())) {
      return null;
    }
    Duration left = Duration.between(now, Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadline));
    return left.isNegative() ? Duration.ofSeconds(1) : left.plusSeconds(1);
  }

  static int count(Integer value) {
    return value == null ? 0 : value;
  }
}
