package io.berth.controllers.deployment;

import java.util.List;

/**
 * One step of a Recreate rollout: scale every old ReplicaSet to zero; wait until none of
 * their pods is left (a terminating pod still runs); only then create or grow the new
 * ReplicaSet to the full size. Old and new pods never run at once.
 */
public final class Recreate {
  private Recreate() {}

  /**
   * @param newRs the new ReplicaSet, or a view with size 0 when it does not exist yet
   * @param oldPodsLeft pods of old ReplicaSets still in the cache, terminating ones included
   */
  public static RolloutPlan step(int desired, RsView newRs, List<RsView> olds, int oldPodsLeft) {
    List<Scale> down = olds.stream().filter(o -> o.replicas() > 0).map(o -> new Scale(o.rs(), 0)).toList();
    if (!down.isEmpty()) {
      return new RolloutPlan(null, down);
    }
    if (oldPodsLeft > 0) {
      return RolloutPlan.NOTHING;
    }
    if (newRs.rs() != null && newRs.replicas() == desired) {
      return RolloutPlan.NOTHING;
    }
    return new RolloutPlan(desired, List.of());
  }
}
