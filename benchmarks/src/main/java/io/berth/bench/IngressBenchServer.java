package io.berth.bench;

import io.berth.ingress.metrics.IngressMetrics;
import io.berth.ingress.proxy.IngressServer;
import io.berth.ingress.routing.RoutingTableBuilder;
import io.berth.ingress.routing.RoutingTables;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Berth's ingress proxy for {@code make bench-ingress}: the same {@link IngressServer} as
 * {@code berth ingress}, with its routing table built from in-memory objects instead of an API
 * (one Ingress, path / to a Service whose one ready endpoint is the benchmark's upstream). The
 * API is not on the request path, so this measures exactly what serves requests; and the API
 * refuses loopback endpoints, which is where the benchmark's upstream listens.
 *
 * <pre>java -cp ... io.berth.bench.IngressBenchServer LISTEN_PORT UPSTREAM_HOST:PORT [THREADS]</pre>
 */
public final class IngressBenchServer {
  private IngressBenchServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: IngressBenchServer LISTEN_PORT UPSTREAM_HOST:PORT [THREADS]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String[] upstream = args[1].split(":");
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    RoutingTables tables = new RoutingTables();
    tables.swap(new RoutingTableBuilder("berth").build(
        List.of(new IngressBuilder().withNewMetadata().withName("bench").withNamespace("default")
            .endMetadata().withNewSpec().withIngressClassName("berth").addNewRule().withNewHttp().addNewPath()
            .withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName("upstream")
            .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule()
            .endSpec().build()),
        List.of(),
        List.of(new ServiceBuilder().withNewMetadata().withName("upstream").withNamespace("default").endMetadata()
            .withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build()),
        List.of(new EndpointsBuilder().withNewMetadata().withName("upstream").withNamespace("default").endMetadata()
            .addNewSubset().addNewAddress().withIp(upstream[0]).endAddress().addNewPort().withName("http")
            .withPort(Integer.parseInt(upstream[1])).endPort().endSubset().build()),
        1));
    IngressServer server = IngressServer.start(new IngressServer.Settings(
        new InetSocketAddress("127.0.0.1", port), null, threads, 3), tables,
        new IngressMetrics(new PrometheusRegistry()), null);
    System.out.println("ingress bench server on 127.0.0.1:" + server.httpPort() + " -> " + args[1]);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
