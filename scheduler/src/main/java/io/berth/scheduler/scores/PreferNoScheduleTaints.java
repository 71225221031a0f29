package io.berth.scheduler.scores;

import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.framework.Normalize;
import io.berth.scheduler.framework.Score;
import io.berth.scheduler.matching.Tolerations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;

/** The fewer PreferNoSchedule taints of a node the pod does not tolerate, the higher it scores. */
public final class PreferNoScheduleTaints implements Score {
  @Override
  public String name() {
    return "PreferNoScheduleTaints";
  }

  @Override
  public int weight() {
    return 3;
  }

  @Override
  public long raw(Pod pod, NodeInfo node) {
    List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
    return taints == null ? 0 : taints.stream()
        .filter(taint -> "PreferNoSchedule".equals(taint.getEffect()))
        .filter(taint -> !Tolerations.tolerates(pod, taint))
        .count();
  }

  @Override
  public List<Long> normalize(List<Long> raw) {
    return Normalize.lowerIsBetter(raw);
  }
}
