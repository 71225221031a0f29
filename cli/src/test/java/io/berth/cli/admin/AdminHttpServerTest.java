package io.berth.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdminHttpServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void eachProbeAnswersFromItsOwnCheckAt200Or503() throws Exception {
    AtomicBoolean live = new AtomicBoolean(true);
    AtomicBoolean healthy = new AtomicBoolean(false);
    AtomicBoolean ready = new AtomicBoolean(true);
    try (AdminHttpServer server = new AdminHttpServer(new InetSocketAddress("127.0.0.1", 0), new PrometheusRegistry(),
        live::get, healthy::get, ready::get).start()) {
      assertThat(status(server, "/livez")).isEqualTo(200);
      assertThat(status(server, "/healthz")).isEqualTo(503);
      assertThat(status(server, "/readyz")).isEqualTo(200);

      // A store replica whose Raft division Ratis closed: only a restart helps.
      live.set(false);
      assertThat(status(server, "/livez")).isEqualTo(503);
      assertThat(status(server, "/metrics")).isEqualTo(200);
    }
  }

  private int status(AdminHttpServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
