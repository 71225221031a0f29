package io.berth.scheduler.framework;

import java.util.List;
import java.util.Map;

/**
 * The message of a pod that fits nowhere, as Kubernetes words it: "0/5 nodes are available:
 * 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu." Each reason with the
 * number of nodes that gave it; the "count reason" strings in string order (as Kubernetes sorts them).
 */
public final class FitError {
  private FitError() {}

  public static String message(int nodes, Map<String, Integer> reasons) {
    List<String> counted = reasons.entrySet().stream()
        .map(entry -> entry.getValue() + " " + entry.getKey())
        .sorted()
        .toList();
    String head = "0/" + nodes + " nodes are available";
    return counted.isEmpty() ? head + "." : head + ": " + String.join(", ", counted) + ".";
  }
}
