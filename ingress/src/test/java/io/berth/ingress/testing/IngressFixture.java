package io.berth.ingress.testing;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.controllers.testing.TestCluster;
import io.berth.ingress.metrics.IngressMetrics;
import io.berth.ingress.proxy.IngressServer;
import io.berth.ingress.routing.RouteWatcher;
import io.berth.ingress.routing.RoutingTables;
import io.berth.ingress.tls.TlsCertificates;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real control plane (one API replica in this JVM), the ingress watching it through the client
 * module, and helpers to write the objects it routes by: a Service without selector and its
 * Endpoints (written by hand, the way the Endpoints controller would, pointing at loopback backends)
 * and Ingresses of class berth.
 */
public final class IngressFixture implements AutoCloseable {
  public final TestCluster cluster;
  public final Client client;
  public final RoutingTables tables = new RoutingTables();
  public final TlsCertificates certificates = new TlsCertificates();
  public final PrometheusRegistry registry = new PrometheusRegistry();
  public final RouteWatcher watcher;
  public final IngressServer server;
  public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public IngressFixture(Path dir) throws Exception {
    cluster = TestCluster.start(dir, 1);
    client = cluster.client();
    watcher = new RouteWatcher(client, "berth", tables).listener(certificates);
    watcher.start();
    if (!watcher.awaitSynced(Duration.ofSeconds(30))) {
      throw new IllegalStateException("informers did not sync");
    }
    server = IngressServer.start(IngressServer.Settings.http(new InetSocketAddress("127.0.0.1", 0))
        .withHttps(new InetSocketAddress("127.0.0.1", 0)), tables, new IngressMetrics(registry), certificates);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.httpPort() + path;
  }

  /** A Service {@code name} (port 80 named http) without selector, and its Endpoints listing {@code ready}. */
  public void service(String name, List<String> ready) {
    client.resource(Resource.SERVICE).inNamespace("default").create(new ServiceBuilder().withNewMetadata()
        .withName(name).endMetadata().withNewSpec().withPorts(new ServicePortBuilder().withName("http").withPort(80)
            .build()).endSpec().build());
    client.resource(Resource.ENDPOINTS).inNamespace("default").create(endpoints(name, ready, null));
  }

  /** Replaces the ready addresses of {@code name}'s Endpoints. */
  public void setEndpoints(String name, List<String> ready) {
    Endpoints current = client.resource(Resource.ENDPOINTS).inNamespace("default").get(name).orElseThrow();
    client.resource(Resource.ENDPOINTS).inNamespace("default")
        .update(endpoints(name, ready, current.getMetadata().getResourceVersion()));
  }

  private static Endpoints endpoints(String name, List<String> ready, String resourceVersion) {
    EndpointSubsetBuilder subset = new EndpointSubsetBuilder();
    int port = 1;
    for (String address : ready) {
      subset.addToAddresses(new EndpointAddressBuilder().withIp(address.split(":")[0]).build());
      port = Integer.parseInt(address.split(":")[1]);
    }
    // One subset has one port list: distinct ports need a subset each.
    EndpointsBuilder b = new EndpointsBuilder().withNewMetadata().withName(name)
        .withResourceVersion(resourceVersion).endMetadata();
    if (ready.stream().map(a -> a.split(":")[1]).distinct().count() <= 1) {
      b.withSubsets(subset.withPorts(new EndpointPortBuilder().withName("http").withPort(port).build()).build());
    } else {
      for (String address : ready) {
        b.addToSubsets(new EndpointSubsetBuilder().addToAddresses(new EndpointAddressBuilder()
            .withIp(address.split(":")[0]).build()).withPorts(new EndpointPortBuilder().withName("http")
            .withPort(Integer.parseInt(address.split(":")[1])).build()).build());
      }
    }
    return b.build();
  }

  /** An Ingress of class berth: one rule for {@code host} ("" for any), Prefix {@code path} to {@code service}:80. */
  public Ingress ingress(String name, String host, String path, String service, Map<String, String> annotations) {
    Ingress ingress = new IngressBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
        .withNewSpec().withIngressClassName("berth").withRules(new IngressRuleBuilder()
            .withHost(host.isEmpty() ? null : host).withNewHttp().addNewPath().withPath(path).withPathType("Prefix")
            .withNewBackend().withNewService().withName(service).withNewPort().withNumber(80).endPort().endService()
            .endBackend().endPath().endHttp().build())
        .endSpec().build();
    return client.resource(Resource.INGRESS).inNamespace("default").create(ingress);
  }

  public HttpResponse<String> get(String host, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Host", host)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (up to 10 s) until {@code condition} holds: routes change a watch event after a write. */
  public static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }

  /** Waits until {@code host}{@code path} answers {@code status}; returns that answer. */
  public HttpResponse<String> awaitStatus(String host, String path, int status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(host, path);
        if (last.statusCode() == status) {
          return last;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + status + " from " + host + path + " within 10 s; last: "
        + (last == null ? "none" : last.statusCode() + " " + last.body()));
  }

  /** Sum of a counter's samples whose labels include {@code label=value} (all, when label is null). */
  public double counter(String name, String label, String value) {
    return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals(name))
        .flatMap(m -> m.getDataPoints().stream())
        .filter(d -> label == null || value.equals(d.getLabels().get(label)))
        .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d).getValue())
        .sum();
  }

  @Override
  public void close() {
    server.close();
    watcher.close();
    cluster.close();
  }
}
