package io.berth.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cli.Main;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DIR/prometheus.yml that berth up writes, used by Debian's real Prometheus: every process
 * is a target that is up, and the series operators watch exist (Raft term and applied index,
 * API request latency, the scheduler's latency, election state).
 */
class PrometheusScrapeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @TempDir
  Path tsdb;

  @RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);

  private Process prometheus;

  @AfterEach
  void down() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
    Main.run("down", "--dir", dir.toString());
  }

  @Test
  void prometheusScrapesEveryProcessThroughTheGeneratedConfiguration() throws Exception {
    boolean installed = Files.isExecutable(Path.of("/usr/bin/prometheus"));
    if ("true".equals(System.getenv("CI"))) {
      assertThat(installed).as("CI installs prometheus (scripts/install-test-deps.sh)").isTrue();
    }
    assumeTrue(installed, "prometheus is not installed (scripts/install-test-deps.sh installs it)");

    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    Path config = dir.resolve("prometheus.yml");
    assertThat(config).exists();
    ClusterFile cluster = ClusterFile.read(dir);

    int port = LocalProcess.freePort();
    prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + tsdb, "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    String base = "http://127.0.0.1:" + port;

    awaitTrue(() -> {
      JsonNode targets = get(base + "/api/v1/targets").path("data").path("activeTargets");
      long up = 0;
      for (JsonNode t : targets) {
        up += "up".equals(t.path("health").asText()) ? 1 : 0;
      }
      return targets.size() == cluster.processes.size() && up == targets.size();
    }, "every process of cluster.json a target that is up");

    for (String series : List.of("berth_raft_term", "berth_raft_applied_index",
        "berth_apiserver_request_duration_seconds_count", "berth_scheduler_pending_pods",
        "berth_leader_election_leading")) {
      awaitTrue(() -> get(base + "/api/v1/query?query=" + URLEncoder.encode(series, StandardCharsets.UTF_8))
          .path("data").path("result").size() > 0, "series " + series);
    }
    JsonNode terms = get(base + "/api/v1/query?query=berth_raft_term").path("data").path("result");
    assertThat(terms).hasSize(cluster.withRole("server").size());
    assertThat(terms.get(0).path("metric").path("berth_process").asText()).startsWith("server-");
    assertThat(terms.get(0).path("metric").path("job").asText()).isEqualTo("berth-server");
  }

  private static JsonNode get(String url) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (Exception e) {
      return JSON.createObjectNode();                 // not up yet
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(what + " not seen through Prometheus within 60 s");
  }
}
