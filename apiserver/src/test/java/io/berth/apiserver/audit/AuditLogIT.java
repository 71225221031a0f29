package io.berth.apiserver.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.apiserver.access.AccessSettings;
import io.berth.apiserver.access.AuthorizationMode;
import io.berth.apiserver.access.TokenFile;
import io.berth.apiserver.access.UserInfo;
import io.berth.apiserver.testing.ApiCluster;
import io.berth.apiserver.testing.Http;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log of a real replica: every mutating request of the test, allowed, refused
 * (403) or unauthenticated (401), is one line naming who, what, where and the answer;
 * reads are not audited; a small size limit makes the log rotate.
 */
class AuditLogIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void everyMutatingRequestIsOneLineAndTheLogRotates() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("audit"));
    TokenFile tokens = TokenFile.of(Map.of("admin-token", new UserInfo("root", List.of("system:masters")),
        "bob-token", new UserInfo("bob", List.of())));
    try (AuditLog audit = new AuditLog(logs.resolve("audit.log"), 4096, 0, Clock.systemUTC(), new PrometheusRegistry());
        ApiCluster cluster = ApiCluster.start(dir.resolve("cluster"), 1, new AccessSettings(List.of(tokens), false,
            AuthorizationMode.parse("RBAC")), audit)) {
      String cm = cluster.url(0) + "/api/v1/namespaces/default/configmaps";
      Http admin = new Http("admin-token");
      awaitCode(admin, cm, 200);
      List<String[]> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        assertThat(admin.send("POST", cm, "{\"metadata\":{\"name\":\"c" + i + "\"}}").code()).isEqualTo(201);
        expected.add(new String[] {"root", "create", null, "201"});
        assertThat(admin.send("PATCH", cm + "/c" + i, "{\"data\":{\"a\":\"b\"}}").code()).isEqualTo(200);
        expected.add(new String[] {"root", "patch", "c" + i, "200"});
      }
      assertThat(admin.send("DELETE", cm + "/c0", null).code()).isEqualTo(200);
      expected.add(new String[] {"root", "delete", "c0", "200"});
      assertThat(new Http("bob-token").send("DELETE", cm + "/c1", null).code()).isEqualTo(403);
      expected.add(new String[] {"bob", "delete", "c1", "403"});
      assertThat(new Http().send("POST", cm, "{\"metadata\":{\"name\":\"x\"}}").code()).isEqualTo(401);
      expected.add(new String[] {null, "create", null, "401"});
      admin.get(cm + "/c2");

      List<JsonNode> events = new ArrayList<>();
      List<Path> files;
      try (Stream<Path> list = Files.list(logs)) {
        files = list.sorted((a, b) -> a.getFileName().toString().equals("audit.log") ? 1
            : b.getFileName().toString().equals("audit.log") ? -1 : a.compareTo(b)).toList();
      }
      assertThat(files).as("rotated at 4 KiB").hasSizeGreaterThan(1);
      for (Path f : files) {
        for (String line : Files.readAllLines(f)) {
          events.add(JSON.readTree(line));
        }
      }
      assertThat(events).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        JsonNode e = events.get(i);
        String[] want = expected.get(i);
        assertThat(e.get("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
        assertThat(e.get("level").asText()).isEqualTo("Metadata");
        assertThat(e.get("auditID").asText()).isNotEmpty();
        assertThat(e.at("/user/username").isMissingNode() ? null : e.at("/user/username").asText()).isEqualTo(want[0]);
        assertThat(e.get("verb").asText()).isEqualTo(want[1]);
        assertThat(e.at("/objectRef/resource").asText()).isEqualTo("configmaps");
        assertThat(e.at("/objectRef/namespace").asText()).isEqualTo("default");
        assertThat(e.at("/objectRef/name").isMissingNode() ? null : e.at("/objectRef/name").asText())
            .isEqualTo(want[2]);
        assertThat(e.at("/responseStatus/code").asText()).isEqualTo(want[3]);
        assertThat(e.get("stageTimestamp").asText()).isNotEmpty();
      }
    }
  }

  private static void awaitCode(Http caller, String url, int code) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (caller.get(url).code() != code && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(caller.get(url).code()).isEqualTo(code);
  }
}
