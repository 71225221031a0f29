package io.berth.scheduler.scores;

import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.framework.Normalize;
import io.berth.scheduler.framework.Score;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** Replicas spread out: the fewer pods of the same controller already on a node, the higher it scores. */
public final class SpreadByOwner implements Score {
  @Override
  public String name() {
    return "SpreadByOwner";
  }

  @Override
  public int weight() {
    return 2;
  }

  @Override
  public long raw(Pod pod, NodeInfo node) {
    String controller = NodeInfo.controllerKey(pod);
    return controller == null ? 0 : node.podsOfController(controller);
  }

  @Override
  public List<Long> normalize(List<Long> raw) {
    return Normalize.lowerIsBetter(raw);
  }
}
