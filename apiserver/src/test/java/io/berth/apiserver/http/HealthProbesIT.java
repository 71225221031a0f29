package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.testing.ApiCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /readyz and /healthz of an API replica follow the store replica beneath it, as kube-apiserver's
 * follow etcd: a load balancer probing them stops sending clients to a replica cut off from its
 * store's leader, whose reads would fail or wait. /livez stays ok: a restart would not help.
 */
class HealthProbesIT {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aReplicaWhoseStoreHasLostItsLeaderIsNotReadyButLive() throws Exception {
    try (ApiCluster cluster = ApiCluster.start(dir, 3)) {
      for (int i = 0; i < 3; i++) {
        assertThat(get(cluster.url(i) + "/readyz").statusCode()).as("/readyz of replica %d", i).isEqualTo(200);
      }
      cluster.kill(1);
      cluster.kill(2);

      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      HttpResponse<String> ready = get(cluster.url(0) + "/readyz");
      while (ready.statusCode() == 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        ready = get(cluster.url(0) + "/readyz");
      }
      assertThat(ready.statusCode()).isEqualTo(500);
      assertThat(ready.body()).contains("[-]etcd failed").contains("readyz check failed");
      assertThat(get(cluster.url(0) + "/healthz").statusCode()).isEqualTo(500);
      assertThat(get(cluster.url(0) + "/livez").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aHeadRequestIsAnsweredWithTheHeadersAloneSoTheConnectionStaysUsable() throws Exception {
    try (ApiCluster cluster = ApiCluster.start(dir, 1);
        java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(cluster.url(0)).getPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("HEAD /ui/ HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.InputStream in = socket.getInputStream();
      StringBuilder received = new StringBuilder();
      while (!received.toString().endsWith("\r\n\r\nok")) {
        int c = in.read();
        assertThat(c).as("the connection ended early; received so far: %s", received).isNotNegative();
        received.append((char) c);
      }
      String[] answers = received.toString().split("HTTP/1.1 ");
      assertThat(answers).hasSize(3);
      assertThat(answers[1]).startsWith("200").contains("content-length: ").doesNotContain("<html")
          .endsWith("\r\n\r\n");
      assertThat(answers[2]).startsWith("200").endsWith("ok");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
