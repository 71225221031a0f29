package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scheduling cycle: the filters on the nodes (a node stops at its first failing filter),
 * then the weighted normalised scores of the feasible nodes; the highest total wins, ties to
 * the first feasible node looked at.
 *
 * <p>On clusters of up to 100 nodes every node is looked at in name order, so the same pod
 * and snapshot give the same answer. On larger ones, as kube-scheduler does
 * (percentageOfNodesToScore), the search stops once enough feasible nodes were found (50%
 * less 1% per 125 nodes, at least 5% and at least 100 nodes), and each cycle starts where
 * the last one stopped so that every node gets its turn. A pod that fits nowhere is always
 * checked against every node, so its message counts them all.
 */
public final class Scheduler {
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;

  private final List<Filter> filters;
  private final List<Score> scores;
  private int nextStartIndex;

  public Scheduler(List<Filter> filters, List<Score> scores) {
    this.filters = List.copyOf(filters);
    this.scores = List.copyOf(scores);
  }

  /** Not thread-safe: one scheduling loop calls it (the start index moves between calls). */
  public ScheduleResult schedule(Pod pod, ClusterSnapshot snapshot) {
    List<NodeInfo> nodes = snapshot.nodes();
    int enough = feasibleNodesToFind(nodes.size());
    int start = nodes.size() <= MIN_FEASIBLE_NODES_TO_FIND ? 0 : nextStartIndex % nodes.size();
    List<NodeInfo> feasible = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    int looked = 0;
    while (looked < nodes.size() && feasible.size() < enough) {
      NodeInfo node = nodes.get((start + looked) % nodes.size());
      looked++;
      FilterResult result = firstFailure(pod, node);
      if (result.fit()) {
        feasible.add(node);
      } else {
        result.reasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
      }
    }
    if (!nodes.isEmpty()) {
      nextStartIndex = (start + looked) % nodes.size();
    }
    if (feasible.isEmpty()) {
      return new ScheduleResult.Unschedulable(FitError.message(nodes.size(), reasons), reasons);
    }
    Map<String, Long> totals = totals(pod, feasible);
    String best = null;
    for (Map.Entry<String, Long> entry : totals.entrySet()) {       // look order: ties keep the first
      if (best == null || entry.getValue() > totals.get(best)) {
        best = entry.getKey();
      }
    }
    return new ScheduleResult.Scheduled(best, totals);
  }

  /** How many feasible nodes are enough to choose from, as kube-scheduler's adaptive percentage. */
  static int feasibleNodesToFind(int nodes) {
    if (nodes <= MIN_FEASIBLE_NODES_TO_FIND) {
      return nodes;
    }
    int percentage = Math.max(5, 50 - nodes / 125);
    return Math.max(MIN_FEASIBLE_NODES_TO_FIND, nodes * percentage / 100);
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
    List<Long> raw = new ArrayList<>(feasible.size());
    for (Score score : scores) {
      raw.clear();
      for (NodeInfo node : feasible) {
        raw.add(score.raw(pod, node));
      }
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
