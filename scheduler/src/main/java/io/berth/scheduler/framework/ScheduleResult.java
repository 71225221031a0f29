package io.berth.scheduler.framework;

import java.util.Map;

/** The outcome of one cycle for one pod. */
public sealed interface ScheduleResult {
  /** The chosen node, and every feasible node's total weighted score (for logs and tests). */
  record Scheduled(String node, Map<String, Long> totals) implements ScheduleResult {}

  /** No node fits: the Kubernetes-style message and the count of nodes per reason. */
  record Unschedulable(String message, Map<String, Integer> reasons) implements ScheduleResult {}
}
