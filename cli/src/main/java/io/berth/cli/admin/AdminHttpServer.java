package io.berth.cli.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operational HTTP endpoint every long-running Berth process serves:
 * {@code /metrics} (Prometheus), {@code /livez} (the process runs and could recover: a
 * supervisor restarts it when this fails), {@code /readyz} and {@code /healthz} (it can do
 * its job now).
 *
 * <p>The JDK's HttpServer is enough here: a handful of tiny requests from
 * Prometheus and probes, kept apart from the data paths, which use Netty.
 */
public final class AdminHttpServer implements AutoCloseable {
  private final HttpServer server;

  public AdminHttpServer(InetSocketAddress address, PrometheusRegistry registry, BooleanSupplier healthy,
      BooleanSupplier ready) throws IOException {
    this(address, registry, () -> true, healthy, ready);
  }

  public AdminHttpServer(InetSocketAddress address, PrometheusRegistry registry, BooleanSupplier live,
      BooleanSupplier healthy, BooleanSupplier ready) throws IOException {
    this.server = HttpServer.create(address, 16);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/livez", exchange -> respond(exchange, live.getAsBoolean()));
    server.createContext("/healthz", exchange -> respond(exchange, healthy.getAsBoolean()));
    server.createContext("/readyz", exchange -> respond(exchange, ready.getAsBoolean()));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "berth-admin-http");
      t.setDaemon(true);
      return t;
    }));
  }

  public AdminHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, boolean ok) throws IOException {
    byte[] body = (ok ? "ok\n" : "unavailable\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
