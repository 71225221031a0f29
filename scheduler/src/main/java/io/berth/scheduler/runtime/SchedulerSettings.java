package io.berth.scheduler.runtime;

import java.time.Duration;

/**
 * The scheduler's knobs, with kube-scheduler's defaults where it has one.
 *
 * @param initialBackoff a pod's first back-off after a failed attempt (kube-scheduler: 1 s)
 * @param maxBackoff the cap of the doubling back-off (kube-scheduler: 10 s)
 * @param unschedulableTimeout how long an unschedulable pod waits for a cluster event before it
 *     is tried anyway (kube-scheduler: 5 min)
 * @param assumedTtl how long a pod bound by us may be missing from the informers before its
 *     assumption is dropped (kube-scheduler: 30 s)
 * @param maxInFlightBinds binding calls under way at once: binds are sent asynchronously so
 *     that one slow write does not hold up the next cycle, and bounded so that a burst does not
 *     exceed the API server's mutating in-flight limit
 * @param syncTimeout how long a new leader waits for its caches before it gives up
 */
public record SchedulerSettings(Duration initialBackoff, Duration maxBackoff, Duration unschedulableTimeout,
    Duration assumedTtl, int maxInFlightBinds, Duration syncTimeout) {

  public static SchedulerSettings defaults() {
    return new SchedulerSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5),
        Duration.ofSeconds(30), 128, Duration.ofSeconds(60));
  }

  public SchedulerSettings {
    if (maxInFlightBinds < 1) {
      throw new IllegalArgumentException("maxInFlightBinds must be at least 1, got " + maxInFlightBinds);
    }
  }

  public SchedulerSettings withBackoff(Duration initial, Duration max) {
    return new SchedulerSettings(initial, max, unschedulableTimeout, assumedTtl, maxInFlightBinds, syncTimeout);
  }

  public SchedulerSettings withMaxInFlightBinds(int binds) {
    return new SchedulerSettings(initialBackoff, maxBackoff, unschedulableTimeout, assumedTtl, binds, syncTimeout);
  }
}
