package io.berth.apiserver.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.apiserver.access.UserInfo;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2026-11-22T10:40:31.123Z");

  @TempDir
  Path dir;

  @Test
  void eachEventIsOneJsonLineInTheShapeOfKubernetesAuditEvents() throws Exception {
    Path file = dir.resolve("audit.log");
    try (AuditLog log = new AuditLog(file, 0, 0, Clock.fixed(T, ZoneOffset.UTC), new PrometheusRegistry())) {
      log.record(event("a1", 201));
      log.record(new AuditEvent("a2", "/api/v1/namespaces", "create", null, null, "", "v1", "namespaces", null,
          null, null, 401, T, T));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.toString()).isEqualTo("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        + "\"auditID\":\"a1\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/team/pods/web/status\","
        + "\"verb\":\"patch\",\"user\":{\"username\":\"alice\",\"groups\":[\"system:authenticated\"]},"
        + "\"userAgent\":\"kubectl/v1.32.4\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"team\",\"name\":\"web\","
        + "\"apiGroup\":\"\",\"apiVersion\":\"v1\",\"subresource\":\"status\"},\"responseStatus\":{\"metadata\":{},"
        + "\"code\":201},\"requestReceivedTimestamp\":\"2026-11-22T10:40:31.123Z\","
        + "\"stageTimestamp\":\"2026-11-22T10:40:31.123Z\"}");
    assertThat(JSON.readTree(lines.get(1)).get("user").isEmpty()).isTrue();
  }

  @Test
  void aFullLogIsRenamedWithItsTimeAndOnlyTheNewestBackupsAreKept() throws Exception {
    Path file = dir.resolve("audit.log");
    int lineLength = JSON.writeValueAsString(event("x0", 200).toJson()).length() + 1;
    Instant[] now = {T};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    try (AuditLog log = new AuditLog(file, 2L * lineLength, 2, clock, new PrometheusRegistry())) {
      for (int i = 0; i < 8; i++) {
        now[0] = T.plusSeconds(i);
        log.record(event("x" + i, 200));
      }
    }
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    // 8 lines, 2 a file: 3 rotations (at lines 3, 5, 7), the oldest backup removed.
    assertThat(names).containsExactly("audit-2026-11-22T10-40-35.123.log", "audit-2026-11-22T10-40-37.123.log",
        "audit.log");
    assertThat(Files.readAllLines(file)).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("audit-2026-11-22T10-40-37.123.log"))).hasSize(2);
  }

  private static AuditEvent event(String id, int code) {
    return new AuditEvent(id, "/api/v1/namespaces/team/pods/web/status", "patch",
        new UserInfo("alice", List.of("system:authenticated")), "kubectl/v1.32.4", "", "v1", "pods", "status", "team",
        "web", code, T, T);
  }
}
