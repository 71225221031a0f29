package io.berth.scheduler.scores;

import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.framework.Resources;
import io.berth.scheduler.framework.Score;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Nodes whose cpu and memory would be used in the same proportion score higher: 100 minus
 * the gap between the two used shares (in percent) once the pod is placed.
 */
public final class BalancedAllocation implements Score {
  @Override
  public String name() {
    return "BalancedAllocation";
  }

  @Override
  public int weight() {
    return 1;
  }

  @Override
  public long raw(Pod pod, NodeInfo node) {
    Resources after = node.requested().plus(Resources.requestedBy(pod));
    double cpu = usedShare(after.milliCpu(), node.allocatable().milliCpu());
    double memory = usedShare(after.memory(), node.allocatable().memory());
    return Math.round(100 * (1 - Math.abs(cpu - memory)));
  }

  private static double usedShare(long requested, long allocatable) {
    return allocatable <= 0 ? 1 : Math.min(1, (double) requested / allocatable);
  }
}
