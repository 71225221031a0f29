package io.berth.scheduler.runtime;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The PodScheduled condition of a pod that fits nowhere. */
final class PodConditions {
  static final String UNSCHEDULABLE = "Unschedulable";

  private PodConditions() {}

  /** Writes PodScheduled=False, Unschedulable, message, unless the pod already says exactly that. */
  static void markUnschedulable(Client client, Pod cached, String message, Instant now) {
    Pod updated = withUnschedulable(cached, message, now);
    if (updated == null) {
      return;
    }
    try {
      client.resource(Resource.POD).inNamespace(cached.getMetadata().getNamespace()).updateStatus(updated);
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {   // gone, or changed: the next look decides again
        throw e;
      }
    }
  }

  /** A copy of the pod carrying the condition, or null when it already carries it. */
  static Pod withUnschedulable(Pod cached, String message, Instant now) {
    List<PodCondition> conditions = cached.getStatus() == null || cached.getStatus().getConditions() == null
        ? List.of() : cached.getStatus().getConditions();
    List<PodCondition> next = new ArrayList<>();
    for (PodCondition condition : conditions) {
      if (!"PodScheduled".equals(condition.getType())) {
        next.add(condition);
      } else if ("False".equals(condition.getStatus()) && UNSCHEDULABLE.equals(condition.getReason())
          && Objects.equals(message, condition.getMessage())) {
        return null;
      }
    }
    next.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason(UNSCHEDULABLE)
        .withMessage(message).withLastTransitionTime(now.toString()).build());
    return new PodBuilder(cached).editOrNewStatus().withPhase(
        cached.getStatus() == null || cached.getStatus().getPhase() == null ? "Pending" : cached.getStatus().getPhase())
        .withConditions(next).endStatus().build();
  }
}
