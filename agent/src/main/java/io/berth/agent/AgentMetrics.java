package io.berth.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics: pods by phase and containers by state (set on each
 * relist), pod start latency, probe results, and the latency of every runtime call.
 */
public final class AgentMetrics {
  private final Gauge pods;
  private final Gauge containers;
  private final Histogram podStart;
  private final Histogram podReady;
  private final Counter probes;
  private final Histogram runtimeCalls;
  private final Counter restarts;

  public AgentMetrics(PrometheusRegistry registry) {
    pods = Gauge.builder().name("berth_agent_pods").help("Pods on this node by phase").labelNames("phase")
        .register(registry);
    containers = Gauge.builder().name("berth_agent_containers").help("Containers on this node by state")
        .labelNames("state").register(registry);
    podStart = Histogram.builder().name("berth_agent_pod_start_seconds")
        .help("From the pod's creation to all its containers running")
        .classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60).register(registry);
    podReady = Histogram.builder().name("berth_agent_pod_ready_seconds")
        .help("From the pod's creation to its Ready condition")
        .classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60).register(registry);
    probes = Counter.builder().name("berth_agent_probe_results_total").help("Probe runs by kind and result")
        .labelNames("probe", "result").register(registry);
    runtimeCalls = Histogram.builder().name("berth_agent_runtime_call_seconds")
        .help("Latency of container runtime calls").labelNames("runtime", "operation")
        .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30).register(registry);
    restarts = Counter.builder().name("berth_agent_container_restarts_total").help("Containers restarted")
        .register(registry);
  }

  public void podsInPhase(String phase, long count) {
    pods.labelValues(phase).set(count);
  }

  public void containersInState(String state, long count) {
    containers.labelValues(state).set(count);
  }

  public void podStarted(double seconds) {
    podStart.observe(seconds);
  }

  public void podReady(double seconds) {
    podReady.observe(seconds);
  }

  public void probe(String kind, boolean success) {
    probes.labelValues(kind, success ? "success" : "failure").inc();
  }

  public void restarted() {
    restarts.inc();
  }

  /** Times one runtime call. */
  public <T> T time(String runtime, String operation, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      runtimeCalls.labelValues(runtime, operation).observe((System.nanoTime() - start) / 1e9);
    }
  }

  public void time(String runtime, String operation, Runnable call) {
    time(runtime, operation, () -> {
      call.run();
      return null;
    });
  }
}
