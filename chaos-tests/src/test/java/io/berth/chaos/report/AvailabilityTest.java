package io.berth.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.chaos.history.Fault;
import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private static final long MS = 1_000_000;
  private long ids;

  private Operation op(String f, Outcome outcome, long fromMs, long toMs) {
    return new Operation(ids++, 0, "n1", f, "k", 1L, null, outcome, fromMs * MS, toMs * MS, null);
  }

  /** Writes and reads succeed every 100 ms except between 10 s and 13.5 s (writes) / 12 s (reads). */
  private List<Operation> history() {
    List<Operation> ops = new ArrayList<>();
    for (long t = 0; t < 20_000; t += 100) {
      boolean writesDown = t >= 10_000 && t < 13_500;
      boolean readsDown = t >= 10_000 && t < 12_000;
      ops.add(op("write", writesDown ? Outcome.INFO : Outcome.OK, t, t + 10));
      ops.add(op("read", readsDown ? Outcome.FAIL : Outcome.OK, t + 50, t + 60));
    }
    return ops;
  }

  @Test
  void measuresTheLongestOutageAndTheTimeFromHealToFullService() {
    List<Fault> faults = List.of(new Fault("kill-leader", "kill -9 n1", List.of("n1"), 9_950 * MS, 13_000 * MS));
    List<Availability.Row> rows = Availability.measure(history(), faults, 20_000 * MS);

    assertThat(rows).extracting(Availability.Row::nemesis).containsExactly("(no fault: baseline)", "kill-leader");
    Availability.Row baseline = rows.get(0);
    assertThat(baseline.longestWithoutWrite()).isEqualTo(100 * MS);
    Availability.Row kill = rows.get(1);
    // last write before the outage completed at 9.91 s, the next at 13.51 s
    assertThat(kill.longestWithoutWrite()).isEqualTo((13_510 - 9_910) * MS);
    assertThat(kill.longestWithoutRead()).isEqualTo((12_060 - 9_960) * MS);
    // healed at 13 s: the first write invoked after it that succeeded completed at 13.51 s
    assertThat(kill.healToFullService()).isEqualTo(510 * MS);
    assertThat(Availability.table(rows)).contains("kill-leader").contains("3.60 s").contains("0.51 s");
  }

  @Test
  void theWorstOfSeveralFaultsOfOneNemesisIsReported() {
    List<Fault> faults = List.of(new Fault("pause-random", "SIGSTOP n2", List.of("n2"), 1_000 * MS, 2_000 * MS),
        new Fault("pause-random", "SIGSTOP n3", List.of("n3"), 9_950 * MS, 13_000 * MS));
    Availability.Row row = Availability.measure(history(), faults, 20_000 * MS).get(1);
    assertThat(row.faults()).isEqualTo(2);
    assertThat(row.longestWithoutWrite()).isEqualTo((13_510 - 9_910) * MS);
  }

  @Test
  void serviceThatNeverCameBackIsSaidSo() {
    List<Operation> ops = new ArrayList<>();
    ops.add(op("write", Outcome.OK, 0, 10));
    ops.add(op("read", Outcome.OK, 0, 10));
    ops.add(op("write", Outcome.INFO, 20, 2_000));
    List<Fault> faults = List.of(new Fault("partition-halves", "{n1} | {n2,n3}", List.of("n1"), 15 * MS, 1_000 * MS));
    Availability.Row row = Availability.measure(ops, faults, 3_000 * MS).get(1);
    assertThat(row.longestWithoutWrite()).isEqualTo(Availability.NEVER);
    assertThat(Availability.table(List.of(row))).contains("never back");
  }
}
