package io.berth.controllers.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One step of a RollingUpdate, a pure function of the desired size, the bounds and the
 * ReplicaSets as seen now. Each step is safe on its own, from the same snapshot:
 * <ul>
 *   <li>the new ReplicaSet grows only into the room under replicas + maxSurge, counting
 *       for each ReplicaSet the larger of its size and its pods still there;</li>
 *   <li>old ReplicaSets shrink first by their unavailable pods, then by available pods only
 *       while replicas - maxUnavailable stay available (counting for each ReplicaSet no more
 *       available pods than it is meant to keep).</li>
 * </ul>
 * Growing and shrinking in one step is still safe: the growth was computed before the
 * shrink freed anything, and new pods are not available yet.
 */
public final class RollingUpdate {
  private RollingUpdate() {}

  /** @param newRs the new ReplicaSet, or a view with size 0 when it does not exist yet */
  public static RolloutPlan step(int desired, Bounds bounds, RsView newRs, List<RsView> olds) {
    return new RolloutPlan(newReplicas(desired, bounds, newRs, olds), shrinkOld(desired, bounds, newRs, olds));
  }

  private static Integer newReplicas(int desired, Bounds bounds, RsView newRs, List<RsView> olds) {
    if (newRs.replicas() >= desired) {
      return newRs.rs() == null || newRs.replicas() > desired ? desired : null;
    }
    int podsNow = newRs.podsAtMost() + olds.stream().mapToInt(RsView::podsAtMost).sum();
    int room = desired + bounds.maxSurge() - podsNow;
    if (room <= 0) {
      return newRs.rs() == null ? newRs.replicas() : null;
    }
    return newRs.replicas() + Math.min(room, desired - newRs.replicas());
  }

  private static List<Scale> shrinkOld(int desired, Bounds bounds, RsView newRs, List<RsView> olds) {
    int minAvailable = desired - bounds.maxUnavailable();
    int newUnavailable = Math.max(0, newRs.replicas() - newRs.availableAtLeast());
    int allReplicas = newRs.replicas() + olds.stream().mapToInt(RsView::replicas).sum();
    int maxScaledDown = allReplicas - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return List.of();
    }
    List<RsView> oldestFirst = new ArrayList<>(olds.stream().filter(o -> o.replicas() > 0)
        .sorted(Comparator.comparingLong((RsView o) -> Revisions.of(o.rs())).thenComparing(RsView::name)).toList());

    // Unavailable pods of old ReplicaSets cost no availability: let them go first.
    int cleaned = 0;
    for (int i = 0; i < oldestFirst.size() && cleaned < maxScaledDown; i++) {
      RsView old = oldestFirst.get(i);
      int unhealthy = old.replicas() - old.availableAtLeast();
      int down = Math.min(maxScaledDown - cleaned, unhealthy);
      if (down > 0) {
        oldestFirst.set(i, old.withReplicas(old.replicas() - down));
        cleaned += down;
      }
    }

    // Then available ones, while enough stay available.
    int available = newRs.availableAtLeast() + oldestFirst.stream().mapToInt(RsView::availableAtLeast).sum();
    int budget = available - minAvailable;
    for (int i = 0; i < oldestFirst.size() && budget > 0; i++) {
      RsView old = oldestFirst.get(i);
      int down = Math.min(old.replicas(), budget);
      oldestFirst.set(i, old.withReplicas(old.replicas() - down));
      budget -= down;
    }

    List<Scale> scales = new ArrayList<>();
    for (RsView shrunk : oldestFirst) {
      if (shrunk.replicas() != shrunk.rs().getSpec().getReplicas()) {
        scales.add(new Scale(shrunk.rs(), shrunk.replicas()));
      }
    }
    return scales;
  }
}
