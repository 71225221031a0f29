package io.berth.controllers.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resizing a Deployment (spec.replicas changed) without starting a rollout. With one active
 * ReplicaSet it takes the new size. During a rollout, with several active, the new room
 * (replicas + maxSurge) is shared in proportion to their sizes, so a resize neither speeds
 * up nor undoes the rollout: each gets round(size * newMax / oldMax), where oldMax is the
 * max-replicas annotation the ReplicaSet was last sized for; what rounding leaves over goes
 * to the largest.
 */
public final class ProportionalScaling {
  private ProportionalScaling() {}

  /** Whether some active ReplicaSet was sized for another Deployment size than {@code desired}. */
  public static boolean isScalingEvent(int desired, RsView newRs, List<RsView> olds) {
    return all(newRs, olds).filter(v -> v.replicas() > 0)
        .anyMatch(v -> Revisions.annotation(v.rs(), Revisions.DESIRED_REPLICAS) != desired);
  }

  /** @param newRs the new ReplicaSet, or null when there is none yet */
  public static List<Scale> scale(int desired, Bounds bounds, boolean rolling, RsView newRs, List<RsView> olds) {
    List<RsView> active = all(newRs, olds).filter(v -> v.replicas() > 0).toList();
    if (active.isEmpty()) {
      // Nothing runs: the newest ReplicaSet takes the whole size.
      RsView latest = newRs != null ? newRs
          : olds.stream().max(Comparator.comparingLong(v -> Revisions.of(v.rs()))).orElse(null);
      return latest == null || latest.replicas() == desired ? List.of() : List.of(new Scale(latest.rs(), desired));
    }
    if (active.size() == 1) {
      RsView only = active.get(0);
      return only.replicas() == desired ? List.of() : List.of(new Scale(only.rs(), desired));
    }
    if (newRs != null && newRs.replicas() == desired && newRs.available() >= desired) {
      // The new ReplicaSet is complete: the old ones only have to go.
      return olds.stream().filter(o -> o.replicas() > 0).map(o -> new Scale(o.rs(), 0)).toList();
    }
    if (!rolling) {
      return List.of();
    }
    return proportional(desired, bounds, active);
  }

  private static List<Scale> proportional(int desired, Bounds bounds, List<RsView> active) {
    int newMax = desired > 0 ? desired + bounds.maxSurge() : 0;
    int total = active.stream().mapToInt(RsView::replicas).sum();
    int toAdd = newMax - total;
    if (toAdd == 0) {
      return List.of();
    }
    // Largest first; on a tie, newer first when growing and older first when shrinking.
    Comparator<RsView> byRevision = Comparator.comparingLong(v -> Revisions.of(v.rs()));
    List<RsView> order = active.stream().sorted(Comparator.comparingInt(RsView::replicas).reversed()
        .thenComparing(toAdd > 0 ? byRevision.reversed() : byRevision)).toList();
    List<Integer> sizes = new ArrayList<>();
    int added = 0;
    for (RsView view : order) {
      long oldMax = Revisions.annotation(view.rs(), Revisions.MAX_REPLICAS);
      if (oldMax <= 0) {
        oldMax = total;
      }
      int share = newMax == 0 ? -view.replicas()
          : (int) Math.round((double) view.replicas() * newMax / oldMax) - view.replicas();
      int left = toAdd - added;
      share = toAdd > 0 ? Math.min(share, left) : Math.max(share, left);
      added += share;
      sizes.add(view.replicas() + share);
    }
    sizes.set(0, Math.max(0, sizes.get(0) + toAdd - added));
    List<Scale> scales = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      scales.add(new Scale(order.get(i).rs(), sizes.get(i)));
    }
    return scales;
  }

  private static Stream<RsView> all(RsView newRs, List<RsView> olds) {
    return newRs == null ? olds.stream() : Stream.concat(Stream.of(newRs), olds.stream());
  }
}
