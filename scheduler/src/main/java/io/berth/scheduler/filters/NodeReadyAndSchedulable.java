package io.berth.scheduler.filters;

import io.berth.scheduler.framework.Filter;
import io.berth.scheduler.framework.FilterResult;
import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.matching.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/**
 * A node takes new pods only when it is Ready and not cordoned. A node that is not Ready is
 * treated as if it carried the NoSchedule taint Kubernetes would give it (not-ready for
 * Ready=False, unreachable for Unknown or no condition), so a pod tolerating that taint may
 * still go there; the same for a cordoned node and the unschedulable taint.
 */
public final class NodeReadyAndSchedulable implements Filter {
  public static final String UNSCHEDULABLE = "node(s) were unschedulable";

  @Override
  public String name() {
    return "NodeReadyAndSchedulable";
  }

  @Override
  public FilterResult filter(Pod pod, NodeInfo info) {
    Node node = info.node();
    String ready = info.readyStatus();
    if (!"True".equals(ready)) {
      Taint taint = noSchedule("False".equals(ready) ? "node.kubernetes.io/not-ready" : "node.kubernetes.io/unreachable");
      if (!Tolerations.tolerates(pod, taint)) {
        return FilterResult.fail("node(s) had untolerated taint " + Tolerations.describe(taint));
      }
    }
    boolean cordoned = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    if (cordoned && !Tolerations.tolerates(pod, noSchedule("node.kubernetes.io/unschedulable"))) {
      return FilterResult.fail(UNSCHEDULABLE);
    }
    return FilterResult.fits();
  }

  private static Taint noSchedule(String key) {
    return new TaintBuilder().withKey(key).withEffect("NoSchedule").build();
  }
}
