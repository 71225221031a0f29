package io.berth.ingress;

import io.berth.client.Client;
import io.berth.ingress.metrics.IngressMetrics;
import io.berth.ingress.proxy.IngressServer;
import io.berth.ingress.routing.RouteWatcher;
import io.berth.ingress.routing.RoutingTables;
import io.berth.ingress.tls.TlsCertificates;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;

/**
 * One ingress process's parts wired together: the watcher keeping the routing table and TLS
 * certificates current from the API, and the proxy serving by them. Stateless: run one or many.
 *
 * <pre>
 * API replicas --informers--> RouteWatcher --swap--> RoutingTables <--every request-- IngressServer
 *                                  `--------> TlsCertificates <--every handshake (SNI)--'
 * </pre>
 */
public final class IngressRouter implements AutoCloseable {
  private final RouteWatcher watcher;
  private final IngressServer server;

  private IngressRouter(RouteWatcher watcher, IngressServer server) {
    this.watcher = watcher;
    this.server = server;
  }

  /**
   * Starts watching through {@code client}, waits up to {@code syncTimeout} for the first table
   * (serving 404s until then would turn a restart into an outage), then listens.
   */
  public static IngressRouter start(Client client, String ingressClass, IngressServer.Settings settings,
      PrometheusRegistry registry, Duration syncTimeout) throws IOException, InterruptedException {
    RoutingTables tables = new RoutingTables();
    TlsCertificates certificates = new TlsCertificates();
    RouteWatcher watcher = new RouteWatcher(client, ingressClass, tables).listener(certificates);
    watcher.start();
    if (!watcher.awaitSynced(syncTimeout)) {
      watcher.close();
      throw new IOException("could not list Ingresses, Services, Endpoints and Secrets from the API within "
          + syncTimeout.toSeconds() + " s");
    }
    try {
      return new IngressRouter(watcher, IngressServer.start(settings, tables, new IngressMetrics(registry),
          certificates));
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e;
    }
  }

  public int httpPort() {
    return server.httpPort();
  }

  public int httpsPort() {
    return server.httpsPort();
  }

  /** Ready: routes are known (the first table is built) and the listeners are open. */
  public boolean isReady() {
    return watcher.isSynced();
  }

  @Override
  public void close() {
    server.close();
    watcher.close();
  }
}
