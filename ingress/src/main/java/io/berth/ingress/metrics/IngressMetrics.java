package io.berth.ingress.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The ingress's Prometheus metrics. Labels name the matched rule (its Ingress, host pattern
 * and path), never the raw request host or path, so that their number stays bounded; a
 * request that matched no rule is counted with empty labels.
 */
public final class IngressMetrics {
  private final Counter requests;
  private final Histogram latency;
  private final Counter connectErrors;
  private final Counter retries;
  private final Gauge openConnections;
  private final Gauge activeRequests;
  private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

  public IngressMetrics(PrometheusRegistry registry) {
    requests = Counter.builder().name("berth_ingress_requests_total")
        .help("Requests answered, by Ingress, rule host, rule path and status code")
        .labelNames("ingress", "host", "path", "status").register(registry);
    latency = Histogram.builder().name("berth_ingress_request_duration_seconds")
        .help("Time from a request's headers to the end of its response, by Ingress, rule host and rule path")
        .classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
        .labelNames("ingress", "host", "path").register(registry);
    connectErrors = Counter.builder().name("berth_ingress_upstream_connect_errors_total")
        .help("Failed connections to upstream endpoints, by backend (namespace/service:port)")
        .labelNames("backend").register(registry);
    retries = Counter.builder().name("berth_ingress_retries_total")
        .help("Requests sent again to another endpoint, by reason (connect, status, closed)")
        .labelNames("reason").register(registry);
    openConnections = Gauge.builder().name("berth_ingress_open_connections")
        .help("Open connections, by side (client, upstream)")
        .labelNames("side").register(registry);
    activeRequests = Gauge.builder().name("berth_ingress_active_requests")
        .help("Requests being proxied now").register(registry);
  }

  /** A request ended with {@code status} after {@code nanos}. */
  public void answered(String ingress, String host, String path, int status, long nanos) {
    requests.labelValues(ingress, host, path, Integer.toString(status)).inc();
    latency.labelValues(ingress, host, path).observe(nanos / 1e9);
  }

  public CounterDataPoint connectErrors(String backend) {
    return connectErrors.labelValues(backend);
  }

  public void retried(String reason) {
    retries.labelValues(reason).inc();
  }

  public void connectionOpened(String side) {
    openConnections.labelValues(side).inc();
  }

  public void connectionClosed(String side) {
    openConnections.labelValues(side).dec();
  }

  public void requestStarted() {
    active.incrementAndGet();
    activeRequests.inc();
  }

  public void requestEnded() {
    active.decrementAndGet();
    activeRequests.dec();
  }

  /** Requests being proxied now (what a drain waits for). */
  public int activeRequests() {
    return active.get();
  }
}
