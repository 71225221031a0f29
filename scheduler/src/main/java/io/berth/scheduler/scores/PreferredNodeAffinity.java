package io.berth.scheduler.scores;

import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.framework.Normalize;
import io.berth.scheduler.framework.Score;
import io.berth.scheduler.matching.NodeSelectorTerms;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.List;

/** The sum of the weights of the preferred node affinity terms a node matches; the best node gets 100. */
public final class PreferredNodeAffinity implements Score {
  @Override
  public String name() {
    return "PreferredNodeAffinity";
  }

  @Override
  public int weight() {
    return 2;
  }

  @Override
  public long raw(Pod pod, NodeInfo node) {
    return preferred(pod).stream()
        .filter(term -> term.getPreference() != null && NodeSelectorTerms.matches(term.getPreference(), node.node()))
        .mapToLong(term -> term.getWeight() == null ? 0 : term.getWeight())
        .sum();
  }

  @Override
  public List<Long> normalize(List<Long> raw) {
    return Normalize.higherIsBetter(raw);
  }

  private static List<PreferredSchedulingTerm> preferred(Pod pod) {
    Affinity affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() == null) {
      return List.of();
    }
    return affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
  }
}
