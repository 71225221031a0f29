package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * A preference among the nodes that passed every filter. {@link #raw} scores one node;
 * {@link #normalize} turns the raw scores of all feasible nodes into 0..100 (higher is
 * better); the scheduler multiplies by {@link #weight} and sums.
 */
public interface Score {
  String name();

  int weight();

  long raw(Pod pod, NodeInfo node);

  /** Raw scores already on 0..100 by default; relative scores override (see {@link Normalize}). */
  default List<Long> normalize(List<Long> raw) {
    return raw.stream().map(score -> Math.max(0, Math.min(100, score))).toList();
  }
}
