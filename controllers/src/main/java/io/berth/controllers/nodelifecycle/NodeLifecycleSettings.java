package io.berth.controllers.nodelifecycle;

import java.time.Duration;

/**
 * The node lifecycle controller's timeouts and rates (DESIGN.md decision 10: timeouts are
 * configuration). Defaults are Kubernetes' own.
 *
 * @param heartbeatGrace how long a node may go without a heartbeat (Lease renewal or Ready
 *     heartbeat) before it is Unknown and tainted unreachable (40 s)
 * @param defaultToleration how long a pod without a toleration for the unreachable or
 *     not-ready NoExecute taint stays on a tainted node (300 s, as the tolerations Kubernetes'
 *     DefaultTolerationSeconds admission adds; Berth's API server does not add them)
 * @param evictionRate nodes per second that may be newly tainted NoExecute (so have their pods
 *     evicted) while most nodes are healthy (0.1)
 * @param secondaryEvictionRate the same while more than {@code unhealthyThreshold} of the nodes
 *     are unhealthy (0.01)
 * @param unhealthyThreshold the fraction of unhealthy nodes above which the secondary rate
 *     applies (0.55); when every node is unhealthy nothing is evicted at all, since then the
 *     control plane is more likely cut off than every node dead
 */
public record NodeLifecycleSettings(Duration heartbeatGrace, Duration defaultToleration, double evictionRate,
    double secondaryEvictionRate, double unhealthyThreshold) {

  public static NodeLifecycleSettings defaults() {
    return new NodeLifecycleSettings(Duration.ofSeconds(40), Duration.ofSeconds(300), 0.1, 0.01, 0.55);
  }

  public NodeLifecycleSettings withHeartbeatGrace(Duration grace) {
    return new NodeLifecycleSettings(grace, defaultToleration, evictionRate, secondaryEvictionRate, unhealthyThreshold);
  }

  public NodeLifecycleSettings withDefaultToleration(Duration toleration) {
    return new NodeLifecycleSettings(heartbeatGrace, toleration, evictionRate, secondaryEvictionRate, unhealthyThreshold);
  }

  public NodeLifecycleSettings withEvictionRates(double normal, double secondary) {
    return new NodeLifecycleSettings(heartbeatGrace, defaultToleration, normal, secondary, unhealthyThreshold);
  }
}
