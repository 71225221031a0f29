package io.berth.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.rest.ObjectCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrinterTest {
  private final TablePrinter printer = new TablePrinter(
      Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC));

  @Test
  void configMapsPrintNameDataAge() throws Exception {
    JsonNode cm = ObjectCodec.JSON.readTree("""
        {"kind":"ConfigMap","metadata":{"name":"c","creationTimestamp":"2026-01-01T00:55:00Z","resourceVersion":"9"},
         "data":{"a":"1","b":"2"}}""");
    JsonNode table = printer.table("ConfigMap", List.of(cm), ObjectCodec.JSON.readTree("{\"resourceVersion\":\"12\"}"));
    assertThat(table.get("kind").asText()).isEqualTo("Table");
    assertThat(table.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.at("/metadata/resourceVersion").asText()).isEqualTo("12");
    assertThat(table.get("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Data", "Age");
    assertThat(table.at("/rows/0/cells").toString()).isEqualTo("[\"c\",2,\"5m\"]");
    assertThat(table.at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(table.at("/rows/0/object/metadata/resourceVersion").asText()).isEqualTo("9");
  }

  @Test
  void kindsWithoutTheirOwnColumnsPrintNameAndAge() throws Exception {
    JsonNode pod = ObjectCodec.JSON.readTree("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}");
    JsonNode table = printer.table("Pod", List.of(pod), null);
    assertThat(table.get("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Age");
    assertThat(table.at("/rows/0/cells/1").asText()).isEqualTo("<unknown>");
  }

  @Test
  void acceptHeaderAsKubectlSendsIt() {
    assertThat(TablePrinter.wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;"
        + "v=v1beta1;g=meta.k8s.io,application/json")).isTrue();
    assertThat(TablePrinter.wantsTable("application/json")).isFalse();
    assertThat(TablePrinter.wantsTable(null)).isFalse();
  }

  @Test
  void agesFollowKubernetesHumanDuration() {
    assertThat(HumanDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HumanDuration.format(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(HumanDuration.format(Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(HumanDuration.format(Duration.ofMinutes(5 * 60 + 7))).isEqualTo("5h7m");
    assertThat(HumanDuration.format(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(HumanDuration.format(Duration.ofHours(3 * 24 + 4))).isEqualTo("3d4h");
    assertThat(HumanDuration.format(Duration.ofDays(40))).isEqualTo("40d");
    assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
  }
}
