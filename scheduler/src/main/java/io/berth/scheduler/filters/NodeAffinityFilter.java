package io.berth.scheduler.filters;

import io.berth.scheduler.framework.Filter;
import io.berth.scheduler.framework.FilterResult;
import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.matching.NodeSelectorTerms;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/** The node has every label of spec.nodeSelector and matches one term of the required node affinity. */
public final class NodeAffinityFilter implements Filter {
  public static final String MISMATCH = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public FilterResult filter(Pod pod, NodeInfo node) {
    Map<String, String> labels = node.node().getMetadata().getLabels() == null ? Map.of() : node.node().getMetadata().getLabels();
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    boolean selectorHolds = selector == null || selector.entrySet().stream()
        .allMatch(wanted -> wanted.getValue().equals(labels.get(wanted.getKey())));
    NodeSelector required = required(pod);
    boolean affinityHolds = required == null || NodeSelectorTerms.anyMatches(required.getNodeSelectorTerms(), node.node());
    return selectorHolds && affinityHolds ? FilterResult.fits() : FilterResult.fail(MISMATCH);
  }

  private static NodeSelector required(Pod pod) {
    Affinity affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null) {
      return null;
    }
    return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
  }
}
