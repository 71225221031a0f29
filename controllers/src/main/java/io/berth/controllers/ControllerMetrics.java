package io.berth.controllers;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The controllers' Prometheus metrics, registered once per process: queue depth, reconciles
 * by controller and result (success, requeue, error), and reconcile latency.
 */
final class ControllerMetrics {
  private final Gauge depth;
  private final Counter reconciles;
  private final Histogram latency;

  ControllerMetrics(PrometheusRegistry registry) {
    depth = Gauge.builder().name("berth_controller_queue_depth")
        .help("Keys waiting for a worker, by controller").labelNames("controller").register(registry);
    reconciles = Counter.builder().name("berth_controller_reconciles_total")
        .help("Reconciles finished, by controller and result (success, requeue, error)")
        .labelNames("controller", "result").register(registry);
    latency = Histogram.builder().name("berth_controller_reconcile_duration_seconds")
        .help("Time one reconcile took, by controller").labelNames("controller").register(registry);
  }

  void depth(String controller, int keys) {
    depth.labelValues(controller).set(keys);
  }

  void reconciled(String controller, String result, long startNanos) {
    reconciles.labelValues(controller, result).inc();
    latency.labelValues(controller).observe((System.nanoTime() - startNanos) / 1e9);
  }
}
