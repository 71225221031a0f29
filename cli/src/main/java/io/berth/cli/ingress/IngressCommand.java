package io.berth.cli.ingress;

import io.berth.cli.UserError;
import io.berth.cli.admin.AdminHttpServer;
import io.berth.cli.server.HostPort;
import io.berth.client.Client;
import io.berth.ingress.IngressRouter;
import io.berth.ingress.proxy.IngressServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth ingress}: the HTTP router for Ingress objects of one class, stateless (run one or many). */
@Command(name = "ingress", mixinStandardHelpOptions = true,
    description = "Run the ingress router: HTTP and HTTPS to Services, by the cluster's Ingress objects.")
public final class IngressCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(IngressCommand.class);

  @picocli.CommandLine.Mixin
  io.berth.cli.server.ApiClientFlags apiTls = new io.berth.cli.server.ApiClientFlags();

  @Option(names = "--api-endpoints", required = true, split = ",", paramLabel = "URL",
      description = "Kubernetes API base URLs of the control-plane replicas, e.g. "
          + "http://10.0.0.1:6443,http://10.0.0.2:6443 (any one may fail).")
  List<String> apiEndpoints;

  @Option(names = "--http-listen", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
      description = "Where plain HTTP (HTTP/1.1 and h2c) is served (default: ${DEFAULT-VALUE}).")
  String httpListen;

  @Option(names = "--https-listen", defaultValue = "127.0.0.1:8443", paramLabel = "HOST:PORT",
      description = "Where HTTPS (TLS by SNI from the Ingresses' Secrets; h2 and HTTP/1.1 by ALPN) is served "
          + "(default: ${DEFAULT-VALUE}).")
  String httpsListen;

  @Option(names = "--metrics-listen", defaultValue = "127.0.0.1:9080", paramLabel = "HOST:PORT",
      description = "Where /metrics, /healthz, /readyz and /livez are served (default: ${DEFAULT-VALUE}).")
  String metricsListen;

  @Option(names = "--ingress-class", defaultValue = "berth",
      description = "The IngressClass served; Ingresses without a class too when it is the default class "
          + "(default: ${DEFAULT-VALUE}).")
  String ingressClass;

  @Option(names = "--threads", defaultValue = "0",
      description = "Event loop threads; 0 means one per core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws Exception {
    HostPort http = HostPort.parse("--http-listen", httpListen);
    HostPort https = HostPort.parse("--https-listen", httpsListen);
    HostPort metrics = HostPort.parse("--metrics-listen", metricsListen);
    for (String endpoint : apiEndpoints) {
      if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        throw new UserError("--api-endpoints must be URLs like http://127.0.0.1:6443, got '" + endpoint + "'");
      }
    }
    if (threads < 0) {
      throw new UserError("--threads must be 0 (one per core) or more, got " + threads);
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    Client client = apiTls.apply(Client.builder().endpoints(apiEndpoints.toArray(String[]::new))).build();
    IngressServer.Settings settings = new IngressServer.Settings(http.socketAddress(), https.socketAddress(),
        threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, 3);
    IngressRouter router;
    try {
      router = IngressRouter.start(client, ingressClass, settings, registry, Duration.ofSeconds(60));
    } catch (java.io.IOException e) {
      client.close();
      throw new UserError(e.getMessage());
    }
    AdminHttpServer admin;
    try {
      admin = new AdminHttpServer(metrics.socketAddress(), registry, router::isReady, router::isReady).start();
    } catch (BindException e) {
      router.close();
      client.close();
      throw new UserError("cannot serve metrics on " + metricsListen + " (--metrics-listen): address in use");
    }
    log.info("berth ingress ready: class {}, http {}:{}, https {}:{}, metrics {}, API {}", ingressClass, http.host(),
        router.httpPort(), https.host(), router.httpsPort(), metricsListen, apiEndpoints);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("berth ingress shutting down");
      admin.close();
      router.close();
      client.close();
      stopped.countDown();
    }, "berth-ingress-shutdown"));
    stopped.await();
    return 0;
  }
}
