package io.berth.ingress.nodeport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.client.ApiException;
import io.berth.client.Resource;
import io.berth.ingress.testing.IngressFixture;
import io.berth.ingress.testing.TestBackend;
import io.berth.ingress.testing.TestNetwork;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NodePort proxy of one node (here on 127.0.0.1) against a real API and upstreams on a test network. */
class NodePortProxyIT {
  @TempDir Path dir;

  @Test
  void forwardsANodePortToTheReadyEndpointsAndFollowsTheirChanges() throws Exception {
    try (TestNetwork network = TestNetwork.create();
        IngressFixture cluster = new IngressFixture(dir);
        TestBackend blue = new TestBackend("blue", network.hostAddress());
        TestBackend green = new TestBackend("green", network.hostAddress());
        NodePortProxy proxy = NodePortProxy.start(cluster.client, "127.0.0.1", Duration.ofSeconds(30))) {
      int nodePort = freeNodePort();
      cluster.service("web", List.of(blue.address()));
      Service web = cluster.client.resource(Resource.SERVICE).inNamespace("default").get("web").orElseThrow();
      cluster.client.resource(Resource.SERVICE).inNamespace("default").update(new ServiceBuilder(web).editSpec()
          .withType("NodePort").editFirstPort().withNodePort(nodePort).endPort().endSpec().build());
      IngressFixture.eventually(() -> proxy.listening().contains(nodePort));

      assertThat(get(cluster, nodePort)).startsWith("blue GET /");

      cluster.setEndpoints("web", List.of(green.address()));
      IngressFixture.eventually(() -> {
        try {
          return get(cluster, nodePort).startsWith("green");
        } catch (Exception e) {
          return false;
        }
      });

      cluster.client.resource(Resource.SERVICE).inNamespace("default").delete("web");
      IngressFixture.eventually(() -> !proxy.listening().contains(nodePort));
    }
  }

  @Test
  void theApiAllocatesDistinctNodePortsAndRefusesATakenOne() throws Exception {
    try (IngressFixture cluster = new IngressFixture(dir)) {
      var services = cluster.client.resource(Resource.SERVICE).inNamespace("default");
      Service first = services.create(nodePortService("first", null));
      Service second = services.create(nodePortService("second", null));
      int firstPort = first.getSpec().getPorts().get(0).getNodePort();

      assertThat(firstPort).isBetween(30000, 32767);
      assertThat(second.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767).isNotEqualTo(firstPort);
      assertThatThrownBy(() -> services.create(nodePortService("third", firstPort)))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(422);
            assertThat(e.getMessage()).contains("spec.ports[0].nodePort: Invalid value: " + firstPort
                + ": provided port is already allocated");
          });
    }
  }

  private static Service nodePortService(String name, Integer nodePort) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withType("NodePort")
        .addNewPort().withName("http").withPort(80).withNodePort(nodePort).endPort().endSpec().build();
  }

  /** A GET on a new connection: a connection keeps the endpoint it was forwarded to, as with kube-proxy. */
  private static String get(IngressFixture cluster, int port) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /** A port of the node port range that nothing on 127.0.0.1 listens on now. */
  private static int freeNodePort() throws IOException {
    for (int i = 0; i < 100; i++) {
      int port = ThreadLocalRandom.current().nextInt(30000, 32768);
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port in 30000-32767");
  }
}
