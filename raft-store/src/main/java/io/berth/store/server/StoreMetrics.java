package io.berth.store.server;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * The store's Prometheus metrics, in a registry of the replica's own (several
 * replicas may share a JVM in tests): Raft position, store size and revisions,
 * watchers and leases, and per-method gRPC request counts and latencies.
 */
public final class StoreMetrics implements ServerInterceptor {
  private final PrometheusRegistry registry;
  private final Counter requests;
  private final Histogram latency;

  StoreMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    this.requests = Counter.builder().name("berth_store_grpc_requests_total")
        .help("etcd API calls served, by method and gRPC status code")
        .labelNames("method", "code").register(registry);
    this.latency = Histogram.builder().name("berth_store_grpc_request_duration_seconds")
        .help("etcd API unary call latency, by method")
        .labelNames("method").register(registry);
  }

  void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    boolean unary = call.getMethodDescriptor().getType().clientSendsOneMessage()
        && call.getMethodDescriptor().getType().serverSendsOneMessage();
    long start = System.nanoTime();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        requests.labelValues(method, status.getCode().name()).inc();
        if (unary) {
          latency.labelValues(method).observe((System.nanoTime() - start) / 1e9);
        }
        super.close(status, trailers);
      }
    }, headers);
  }
}
