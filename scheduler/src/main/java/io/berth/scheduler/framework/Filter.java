package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** A rule a node must satisfy for a pod to be placed on it. Pure: reads, never writes. */
public interface Filter {
  String name();

  FilterResult filter(Pod pod, NodeInfo node);
}
