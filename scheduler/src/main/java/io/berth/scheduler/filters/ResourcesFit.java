package io.berth.scheduler.filters;

import io.berth.scheduler.framework.Filter;
import io.berth.scheduler.framework.FilterResult;
import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.framework.Resources;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/** The pod's requests fit in what the node has left: pod count, cpu, memory (every shortfall is a reason). */
public final class ResourcesFit implements Filter {
  public static final String TOO_MANY_PODS = "Too many pods";
  public static final String INSUFFICIENT_CPU = "Insufficient cpu";
  public static final String INSUFFICIENT_MEMORY = "Insufficient memory";

  @Override
  public String name() {
    return "ResourcesFit";
  }

  @Override
  public FilterResult filter(Pod pod, NodeInfo node) {
    Resources wanted = Resources.requestedBy(pod);
    Resources free = node.free();
    List<String> reasons = new ArrayList<>();
    if (wanted.pods() > free.pods()) {
      reasons.add(TOO_MANY_PODS);
    }
    if (wanted.milliCpu() > 0 && wanted.milliCpu() > free.milliCpu()) {
      reasons.add(INSUFFICIENT_CPU);
    }
    if (wanted.memory() > 0 && wanted.memory() > free.memory()) {
      reasons.add(INSUFFICIENT_MEMORY);
    }
    return reasons.isEmpty() ? FilterResult.fits() : FilterResult.fail(reasons.toArray(String[]::new));
  }
}
