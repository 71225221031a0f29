package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private final LineSplitter splitter = new LineSplitter();
  private final List<String> lines = new ArrayList<>();

  private void feed(String chunk) {
    byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
    splitter.feed(bytes, 0, bytes.length, line -> lines.add(new String(line, StandardCharsets.UTF_8)));
  }

  @Test
  void aChunkWithSeveralLinesGivesEachLine() {
    feed("{\"a\":1}\n{\"b\":2}\n");

    assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(splitter.pending()).isZero();
  }

  @Test
  void aLineSplitOverChunksIsGivenOnceComplete() {
    feed("{\"type\":\"MOD");
    feed("IFIED\",");
    assertThat(lines).isEmpty();
    feed("\"x\":1}\n{\"next");

    assertThat(lines).containsExactly("{\"type\":\"MODIFIED\",\"x\":1}");
    assertThat(splitter.pending()).isEqualTo("{\"next".length());
  }

  @Test
  void containsFindsTheMarkerAnywhereAndOnlyWhole() {
    byte[] line = "{\"value\":\"round-3-99-xxx\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(LineSplitter.contains(line, "round-3-99".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(LineSplitter.contains(line, "round-3-98".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(LineSplitter.contains("ab".getBytes(StandardCharsets.UTF_8), "abc".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
  }
}
