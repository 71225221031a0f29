package io.berth.scheduler.filters;

import io.berth.scheduler.framework.Filter;
import java.util.List;

/** The filters in the order a node is checked (cheap and common reasons first). */
public final class DefaultFilters {
  private DefaultFilters() {}

  public static List<Filter> all() {
    return List.of(
        new NodeReadyAndSchedulable(),
        new NodeAffinityFilter(),
        new TaintToleration(),
        new ResourcesFit(),
        new HostPorts(),
        new PodAntiAffinity());
  }
}
