package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTableTest {

  @Test
  void ratioIsSubjectOverBaselineWithTheBetterDirectionPerRow() {
    Results berth = new Results("berth");
    berth.put("put.c1.ops", 500);
    berth.put("put.c1.p99", 3.0);
    Results etcd = new Results("etcd");
    etcd.put("put.c1.ops", 1000);
    etcd.put("put.c1.p99", 2.0);

    String md = new ComparisonTable(berth, etcd).markdown();

    assertThat(md).startsWith("| workload | unit | berth | etcd | berth/etcd | better |");
    assertThat(md).contains("| put, 1 client | ops/s | 500 | 1000 | 0.50x | higher |");
    assertThat(md).contains("| put, 1 client, p99 | ms | 3.00 | 2.00 | 1.50x | lower |");
  }

  @Test
  void theApiTableHasTheApiRowsWithTheStoreAsBaseline() {
    Results api = new Results("api");
    api.put("list.c16.ops", 300);
    Results store = new Results("store");
    store.put("list.c16.ops", 200);

    String md = new ComparisonTable(api, store, ApiMetrics.all(1_000)).markdown();

    assertThat(md).startsWith("| workload | unit | api | store | api/store | better |");
    assertThat(md).contains("| list (1,000 objects), 16 clients | ops/s | 300 | 200 | 1.50x | higher |");
    assertThat(md).contains("| update, 256 clients, p99 | ms | - | - | - | lower |");
    assertThat(md).doesNotContain("put, 1 client");
  }

  @Test
  void aTargetThatWasNotMeasuredShowsDashes() {
    Results etcd = new Results("etcd");
    etcd.put("put.c1.ops", 1000);
    etcd.put("put.c1.p50", Double.NaN);

    String md = new ComparisonTable(null, etcd).markdown();

    assertThat(md).contains("| put, 1 client | ops/s | - | 1000 | - | higher |");
    assertThat(md).contains("| put, 1 client, p50 | ms | - | - | - | lower |");
  }

  @Test
  void resultsSurviveASaveAndLoad(@TempDir Path dir) throws Exception {
    Results r = new Results("etcd");
    r.put("watch.p99", 4.25);
    r.put("put.c256.p50", Double.NaN);
    r.note("etcd: leader\tat 127.0.0.1:2379");
    r.save(dir.resolve("r"));

    Results back = Results.load(dir.resolve("r"));

    assertThat(back.target()).isEqualTo("etcd");
    assertThat(back.get("watch.p99")).isEqualTo(4.25);
    assertThat(back.get("put.c256.p50")).isNaN();
    assertThat(back.get("get.serializable.ops")).isNaN();
    assertThat(back.notes()).containsExactly("etcd: leader at 127.0.0.1:2379");
  }

  @Test
  void durationsTakeMillisecondsSecondsAndMinutes() {
    var c = new StoreBenchmark.DurationConverter();
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.convert("3")).isEqualTo(Duration.ofSeconds(3));
  }
}
