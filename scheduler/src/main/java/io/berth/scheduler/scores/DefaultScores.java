package io.berth.scheduler.scores;

import io.berth.scheduler.framework.Score;
import java.util.List;

/** The scores and, in each class, their weights. */
public final class DefaultScores {
  private DefaultScores() {}

  public static List<Score> all() {
    return List.of(
        new LeastAllocated(),
        new BalancedAllocation(),
        new SpreadByOwner(),
        new PreferredNodeAffinity(),
        new PreferNoScheduleTaints());
  }
}
