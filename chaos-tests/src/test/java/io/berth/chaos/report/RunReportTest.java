package io.berth.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.chaos.checker.Validity;
import io.berth.chaos.checker.Verdict;
import io.berth.chaos.history.Fault;
import io.berth.chaos.history.History;
import io.berth.chaos.history.StoreEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RunReportTest {

  @Test
  void writesTheHistoryFaultsVerdictsSummaryAndPlot(@TempDir Path dir) throws Exception {
    History history = new History();
    history.invoke(0, "n1", "write", "k", 1L, null).ok(null);
    history.invoke(1, "n2", "read", "k", null, null).ok(1L);
    history.invoke(2, "n3", "cas", "k", 2L, 1L).info("DEADLINE_EXCEEDED");
    history.invoke(3, "n1", "write", "k", 3L, null).fail("UNAVAILABLE: Connection refused");
    long now = history.now();
    history.fault(new Fault("kill-leader", "kill -9 n1", List.of("n1"), 0, now));
    history.fault(new Fault("partition-ring", "ring <a&b>", List.of("n1", "n2"), now / 2, now));
    history.delivered(0, "n2", new StoreEvent(7, "watch/a", 1L));
    List<Verdict> verdicts = List.of(new Verdict("linearizability", Validity.VALID, 3, List.of()),
        new Verdict("set", Validity.INVALID, 2, List.of("read 0: lost (acknowledged, missing): 1 elements [4]")));

    String summary = RunReport.write(dir, history, verdicts, Map.of("seed", "42"));

    List<String> lines = Files.readAllLines(dir.resolve("history.jsonl"));
    assertThat(lines).hasSize(4);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("f").asText()).isEqualTo("write");
    assertThat(first.get("outcome").asText()).isEqualTo("ok");
    assertThat(Files.readAllLines(dir.resolve("faults.jsonl"))).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("watch.jsonl"))).hasSize(1);
    assertThat(Files.readString(dir.resolve("verdict-set.txt"))).contains("INVALID").contains("lost");
    assertThat(summary).isEqualTo(Files.readString(dir.resolve("summary.txt")))
        .contains("seed:").contains("42")
        .contains("linearizability").contains("set                INVALID")
        .contains("=> 1 checkers found anomalies")
        .contains("Measured availability").contains("kill-leader").contains("partition-ring");

    Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("latency.svg").toFile());
    NodeList rects = svg.getElementsByTagName("rect");
    long faults = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      if ("fault".equals(((Element) rects.item(i)).getAttribute("class"))) {
        faults++;
      }
    }
    assertThat(faults).isEqualTo(2);
    assertThat(svg.getElementsByTagName("circle").getLength()).isGreaterThanOrEqualTo(4);
  }
}
