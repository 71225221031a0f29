package io.berth.apiserver.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/**
 * The API server's Prometheus metrics, named after kube-apiserver's so that its
 * dashboards translate: requests by verb, resource and code, their latency
 * (long-running watches apart), what is in flight, and how many watchers are open.
 */
final class ApiMetrics {
  private final Counter requests;
  private final Histogram latency;

  ApiMetrics(PrometheusRegistry registry, InFlightLimiter limiter, IntSupplier watchers) {
    requests = Counter.builder().name("berth_apiserver_requests_total")
        .help("API requests answered, by verb, resource and HTTP code")
        .labelNames("verb", "resource", "code").register(registry);
    latency = Histogram.builder().name("berth_apiserver_request_duration_seconds")
        .help("API request latency until the response (watches: until their stream starts), by verb and resource")
        .labelNames("verb", "resource").register(registry);
    GaugeWithCallback.builder().name("berth_apiserver_current_inflight_requests")
        .help("Requests being served now, by kind (readOnly, mutating); watches are not counted")
        .labelNames("request_kind")
        .callback(cb -> {
          cb.call(limiter.inFlight(false), "readOnly");
          cb.call(limiter.inFlight(true), "mutating");
        }).register(registry);
    GaugeWithCallback.builder().name("berth_apiserver_watchers")
        .help("API watch streams open on this replica")
        .callback(cb -> cb.call(watchers.getAsInt())).register(registry);
  }

  void observe(String verb, String resource, int code, long startNanos) {
    requests.labelValues(verb, resource, Integer.toString(code)).inc();
    latency.labelValues(verb, resource).observe((System.nanoTime() - startNanos) / 1e9);
  }
}
