package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scheduling cycle: every filter on every node (a node stops at its first failing filter),
 * then the weighted normalised scores of the feasible nodes; the highest total wins, ties to
 * the first node by name. Pure: the same pod and snapshot give the same answer.
 */
public final class Scheduler {
  private final List<Filter> filters;
  private final List<Score> scores;

  public Scheduler(List<Filter> filters, List<Score> scores) {
    this.filters = List.copyOf(filters);
    this.scores = List.copyOf(scores);
  }

  public ScheduleResult schedule(Pod pod, ClusterSnapshot snapshot) {
    List<NodeInfo> feasible = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    for (NodeInfo node : snapshot.nodes()) {
      FilterResult result = firstFailure(pod, node);
      if (result.fit()) {
        feasible.add(node);
      } else {
        result.reasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
      }
    }
    if (feasible.isEmpty()) {
      return new ScheduleResult.Unschedulable(FitError.message(snapshot.nodes().size(), reasons), reasons);
    }
    Map<String, Long> totals = totals(pod, feasible);
    String best = null;
    for (Map.Entry<String, Long> entry : totals.entrySet()) {       // name order: ties keep the first
      if (best == null || entry.getValue() > totals.get(best)) {
        best = entry.getKey();
      }
    }
    return new ScheduleResult.Scheduled(best, totals);
  }

  private FilterResult firstFailure(Pod pod, NodeInfo node) {
    for (Filter filter : filters) {
      FilterResult result = filter.filter(pod, node);
      if (!result.fit()) {
        return result;
      }
    }
    return FilterResult.fits();
  }

  private Map<String, Long> totals(Pod pod, List<NodeInfo> feasible) {
    long[] sums = new long[feasible.size()];
    for (Score score : scores) {
      List<Long> raw = feasible.stream().map(node -> score.raw(pod, node)).toList();
      List<Long> normalized = score.normalize(raw);
      for (int i = 0; i < sums.length; i++) {
        sums[i] += score.weight() * normalized.get(i);
      }
    }
    Map<String, Long> totals = new LinkedHashMap<>();
    for (int i = 0; i < sums.length; i++) {
      totals.put(feasible.get(i).name(), sums[i]);
    }
    return totals;
  }
}
