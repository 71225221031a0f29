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
    JsonNode scale = ObjectCodec.JSON.readTree("{\"kind\":\"Scale\",\"metadata\":{\"name\":\"l\"}}");
    JsonNode table = printer.table("Scale", List.of(scale), null);
    assertThat(table.get("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Age");
    assertThat(table.at("/rows/0/cells/1").asText()).isEqualTo("<unknown>");
  }

  @Test
  void podsPrintReadyStatusRestartsThenWideColumnsAfterAge() throws Exception {
    JsonNode pod = ObjectCodec.JSON.readTree("""
        {"kind":"Pod","metadata":{"name":"p","creationTimestamp":"2026-01-01T00:59:15Z"},
         "spec":{"nodeName":"n1","containers":[{"name":"a"},{"name":"b"}]},
         "status":{"phase":"Running","podIP":"10.0.0.7",
          "containerStatuses":[{"name":"a","ready":true,"restartCount":2,"state":{"running":{}}},
           {"name":"b","ready":false,"restartCount":1,"state":{"running":{}}}]}}""");
    JsonNode table = printer.table("Pod", List.of(pod), null);
    assertThat(table.get("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
            "Readiness Gates");
    assertThat(table.at("/columnDefinitions/5/priority").asInt()).isEqualTo(1);
    assertThat(table.at("/rows/0/cells").toString())
        .isEqualTo("[\"p\",\"1/2\",\"Running\",\"3\",\"45s\",\"10.0.0.7\",\"n1\",\"<none>\",\"<none>\"]");
  }

  @Test
  void deploymentsAndServicesPrintTheirColumns() throws Exception {
    JsonNode deployment = ObjectCodec.JSON.readTree("""
        {"kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}},
         "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}""");
    assertThat(printer.table("Deployment", List.of(deployment), null).at("/rows/0/cells").toString())
        .isEqualTo("[\"web\",\"2/3\",3,2,\"<unknown>\",\"c\",\"nginx:1.27\",\"app=web\"]");
    JsonNode service = ObjectCodec.JSON.readTree("""
        {"kind":"Service","metadata":{"name":"s"},
         "spec":{"type":"NodePort","clusterIP":"10.96.0.10","selector":{"app":"web"},
          "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}]}}""");
    assertThat(printer.table("Service", List.of(service), null).at("/rows/0/cells").toString())
        .isEqualTo("[\"s\",\"NodePort\",\"10.96.0.10\",\"<none>\",\"80:30080/TCP\",\"<unknown>\",\"app=web\"]");
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
