package io.berth.scheduler.filters;

import io.berth.scheduler.framework.Filter;
import io.berth.scheduler.framework.FilterResult;
import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.matching.Tolerations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Optional;

/** Every NoSchedule and NoExecute taint of the node is tolerated; the first that is not is named. */
public final class TaintToleration implements Filter {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public FilterResult filter(Pod pod, NodeInfo node) {
    List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
    Optional<Taint> untolerated = (taints == null ? List.<Taint>of() : taints).stream()
        .filter(taint -> "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()))
        .filter(taint -> !Tolerations.tolerates(pod, taint))
        .findFirst();
    return untolerated
        .map(taint -> FilterResult.fail("node(s) had untolerated taint " + Tolerations.describe(taint)))
        .orElse(FilterResult.fits());
  }
}
