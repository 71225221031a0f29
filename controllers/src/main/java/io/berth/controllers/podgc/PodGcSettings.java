package io.berth.controllers.podgc;

import java.time.Duration;

/**
 * @param terminatedThreshold how many finished pods (Succeeded or Failed) to keep; beyond it
 *     the oldest are deleted (12,500, as kube-controller-manager's terminated-pod-gc-threshold)
 * @param period how often the whole pod population is looked at (20 s, as Kubernetes)
 */
public record PodGcSettings(int terminatedThreshold, Duration period) {
  public static PodGcSettings defaults() {
    return new PodGcSettings(12_500, Duration.ofSeconds(20));
  }
}
