package io.berth.scheduler.scores;

import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.framework.Resources;
import io.berth.scheduler.framework.Score;
import io.fabric8.kubernetes.api.model.Pod;

/** Emptier nodes score higher: the mean free share of cpu and memory once the pod is placed, 0..100. */
public final class LeastAllocated implements Score {
  @Override
  public String name() {
    return "LeastAllocated";
  }

  @Override
  public int weight() {
    return 1;
  }

  @Override
  public long raw(Pod pod, NodeInfo node) {
    Resources after = node.requested().plus(Resources.requestedBy(pod));
    Resources allocatable = node.allocatable();
    return (freeShare(after.milliCpu(), allocatable.milliCpu()) + freeShare(after.memory(), allocatable.memory())) / 2;
  }

  private static long freeShare(long requested, long allocatable) {
    if (allocatable <= 0 || requested >= allocatable) {
      return 0;
    }
    return (allocatable - requested) * 100 / allocatable;
  }
}
