package io.berth.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Deployment's conditions as a value: setting one that says the same thing changes
 * nothing; one that changes keeps its lastTransitionTime while its status stays the same.
 */
final class Conditions {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";

  private final List<DeploymentCondition> conditions;

  Conditions(List<DeploymentCondition> existing) {
    this.conditions = new ArrayList<>(existing == null ? List.of() : existing);
  }

  Optional<DeploymentCondition> get(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  Optional<String> reason(String type) {
    return get(type).map(DeploymentCondition::getReason);
  }

  /** Sets the condition unless it already says exactly this. */
  void set(String type, String status, String reason, String message, Instant now) {
    Optional<DeploymentCondition> current = get(type);
    if (current.isPresent() && status.equals(current.get().getStatus()) && reason.equals(current.get().getReason())
        && message.equals(current.get().getMessage())) {
      return;
    }
    refresh(type, status, reason, message, now);
  }

  /** Sets the condition with lastUpdateTime now even if it says the same (progress was made). */
  void refresh(String type, String status, String reason, String message, Instant now) {
    Optional<DeploymentCondition> current = get(type);
    String stamp = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String transition = current.filter(c -> status.equals(c.getStatus())).map(DeploymentCondition::getLastTransitionTime)
        .orElse(stamp);
    DeploymentCondition condition = new DeploymentConditionBuilder().withType(type).withStatus(status)
        .withReason(reason).withMessage(message).withLastUpdateTime(stamp).withLastTransitionTime(transition).build();
    current.ifPresentOrElse(c -> conditions.set(conditions.indexOf(c), condition), () -> conditions.add(condition));
  }

  List<DeploymentCondition> list() {
    return List.copyOf(conditions);
  }
}
