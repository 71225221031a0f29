package io.berth.controllers.deployment;

import java.util.List;

/**
 * One step of a rollout.
 *
 * @param newReplicas the new ReplicaSet's size after this step (created with it if it does
 *     not exist yet), or null to leave it as it is (and not create it yet)
 * @param olds the old ReplicaSets to resize
 */
public record RolloutPlan(Integer newReplicas, List<Scale> olds) {
  public static final RolloutPlan NOTHING = new RolloutPlan(null, List.of());

  public boolean isEmpty() {
    return newReplicas == null && olds.isEmpty();
  }
}
