package io.berth.scheduler.runtime;

import io.berth.scheduler.queue.SchedulingQueue;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * The scheduler's Prometheus metrics, after kube-scheduler's: pending pods per queue,
 * attempts by result, the algorithm's latency, end-to-end latency from first queued to
 * bound, and the binding call's latency.
 */
final class SchedulerMetrics {
  private final Counter attempts;
  private final Histogram algorithm;
  private final Histogram e2e;
  private final Histogram binding;
  private final AtomicReference<SchedulingQueue> queue = new AtomicReference<>();

  SchedulerMetrics(PrometheusRegistry registry, IntSupplier assumedPods) {
    GaugeWithCallback.builder().name("berth_scheduler_pending_pods")
        .help("Pods waiting to be scheduled, by queue (active, backoff, unschedulable); 0 on standbys")
        .labelNames("queue")
        .callback(cb -> {
          SchedulingQueue current = queue.get();
          SchedulingQueue.Lengths lengths = current == null ? new SchedulingQueue.Lengths(0, 0, 0) : current.lengths();
          cb.call(lengths.active(), "active");
          cb.call(lengths.backoff(), "backoff");
          cb.call(lengths.unschedulable(), "unschedulable");
        }).register(registry);
    GaugeWithCallback.builder().name("berth_scheduler_assumed_pods")
        .help("Pods placed whose binding the informers do not show yet")
        .callback(cb -> cb.call(assumedPods.getAsInt())).register(registry);
    attempts = Counter.builder().name("berth_scheduler_schedule_attempts_total")
        .help("Scheduling attempts by result (scheduled, unschedulable, error)")
        .labelNames("result").register(registry);
    algorithm = Histogram.builder().name("berth_scheduler_scheduling_algorithm_duration_seconds")
        .help("Time the filters and scores took for one pod").register(registry);
    e2e = Histogram.builder().name("berth_scheduler_pod_scheduling_duration_seconds")
        .help("From a pod first entering the queue to its binding acknowledged").register(registry);
    binding = Histogram.builder().name("berth_scheduler_binding_duration_seconds")
        .help("Time the pods/binding call took").register(registry);
  }

  void watch(SchedulingQueue current) {
    queue.set(current);
  }

  void unschedulable(long algorithmStartNanos, long endNanos) {
    algorithm.observe((endNanos - algorithmStartNanos) / 1e9);
    attempts.labelValues("unschedulable").inc();
  }

  void algorithmTook(long startNanos, long endNanos) {
    algorithm.observe((endNanos - startNanos) / 1e9);
  }

  void bound(long firstQueuedNanos, long bindStartNanos, long nowNanos) {
    attempts.labelValues("scheduled").inc();
    binding.observe((nowNanos - bindStartNanos) / 1e9);
    e2e.observe((nowNanos - firstQueuedNanos) / 1e9);
  }

  void error() {
    attempts.labelValues("error").inc();
  }
}
