package io.berth.chaos.checker;

import static io.berth.chaos.checker.Ops.cas;
import static io.berth.chaos.checker.Ops.onKey;
import static io.berth.chaos.checker.Ops.read;
import static io.berth.chaos.checker.Ops.with;
import static io.berth.chaos.checker.Ops.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(30));

  private Verdict check(Operation... ops) {
    return checker.check(List.of(ops));
  }

  @Test
  void sequentialHistoryIsLinearizable() {
    assertThat(check(read(0, null, 0, 1), write(0, 1, 2, 3), read(1, 1L, 4, 5), cas(1, 1, 2, 6, 7),
        read(0, 2L, 8, 9)).validity()).isEqualTo(Validity.VALID);
  }

  @Test
  void concurrentReadsMaySeeEitherSideOfAConcurrentWrite() {
    assertThat(check(write(0, 1, 0, 1), write(1, 2, 10, 20), read(2, 1L, 11, 12), read(3, 2L, 13, 14),
        read(4, 2L, 21, 22)).validity()).isEqualTo(Validity.VALID);
  }

  @Test
  void staleReadAfterCompletedWriteIsCaught() {
    Verdict verdict = check(write(0, 1, 0, 1), write(0, 2, 2, 3), read(1, 1L, 4, 5));
    assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
    assertThat(verdict.anomalies().get(0)).contains("key k").contains("read 1").contains("write 2");
  }

  @Test
  void readOfAValueNeverWrittenIsCaught() {
    assertThat(check(write(0, 1, 0, 1), read(1, 7L, 2, 3)).validity()).isEqualTo(Validity.INVALID);
  }

  @Test
  void readsThatGoBackInTimeAreCaughtEvenWhileTheWriteIsInFlight() {
    // The write is concurrent with both reads, but once a read saw 2 a later read cannot see 1.
    assertThat(check(write(0, 1, 0, 1), write(1, 2, 2, 100), read(2, 2L, 3, 4), read(3, 1L, 5, 6)).validity())
        .isEqualTo(Validity.INVALID);
  }

  @Test
  void lostWriteIsCaught() {
    // 2 was acknowledged and read, then a read sees the value before it.
    assertThat(check(write(0, 1, 0, 1), write(0, 2, 2, 3), read(1, 2L, 4, 5), read(2, 1L, 6, 7)).validity())
        .isEqualTo(Validity.INVALID);
  }

  @Test
  void compareAndSetThatSucceededAgainstTheWrongValueIsCaught() {
    assertThat(check(write(0, 1, 0, 1), write(0, 2, 2, 3), cas(1, 1, 3, 4, 5)).validity())
        .isEqualTo(Validity.INVALID);
  }

  @Test
  void indeterminateWriteMayTakeEffectLongAfterItsClientGaveUp() {
    assertThat(check(write(0, 1, 0, 1), with(write(1, 2, 2, 3), Outcome.INFO), read(2, 1L, 10, 11),
        read(2, 2L, 500, 501)).validity()).isEqualTo(Validity.VALID);
  }

  @Test
  void indeterminateWriteMayNeverTakeEffect() {
    assertThat(check(write(0, 1, 0, 1), with(write(1, 2, 2, 3), Outcome.INFO), read(2, 1L, 10, 11),
        read(2, 1L, 500, 501)).validity()).isEqualTo(Validity.VALID);
  }

  @Test
  void indeterminateWriteCannotTakeEffectBeforeItWasInvoked() {
    assertThat(check(write(0, 1, 0, 1), read(2, 2L, 2, 3), with(write(1, 2, 10, 11), Outcome.INFO)).validity())
        .isEqualTo(Validity.INVALID);
  }

  @Test
  void failedWriteSeenByAReadIsCaught() {
    assertThat(check(write(0, 1, 0, 1), with(write(1, 2, 2, 3), Outcome.FAIL), read(2, 2L, 10, 11)).validity())
        .isEqualTo(Validity.INVALID);
  }

  @Test
  void indeterminateCompareAndSetMayHaveFoundAnotherValue() {
    assertThat(check(write(0, 1, 0, 1), with(cas(1, 5, 2, 2, 3), Outcome.INFO), read(2, 1L, 10, 11)).validity())
        .isEqualTo(Validity.VALID);
  }

  @Test
  void keysAreCheckedIndependently() {
    Verdict verdict = check(onKey(write(0, 1, 0, 1), "a"), onKey(write(1, 2, 0, 1), "b"),
        onKey(read(0, 1L, 2, 3), "a"), onKey(read(1, 1L, 2, 3), "b"));
    assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
    assertThat(verdict.anomalies()).hasSize(1);
    assertThat(verdict.anomalies().get(0)).startsWith("key b");
  }

  @Test
  void theFailureReportShowsTheWindowAroundTheOperationNoOrderPlaces() {
    Verdict verdict = check(write(0, 1, 0, 1), write(0, 2, 2, 3), read(1, 1L, 4, 10), read(2, 2L, 5, 6),
        write(3, 3, 50, 51));
    String report = verdict.anomalies().get(0);
    assertThat(report).contains("no order places").contains("p1 n2 read 1 [0.004 s .. 0.010 s] ok")
        .contains("p2 n3 read 2").doesNotContain("write 3");
  }

  @Test
  void aSearchThatRunsOutOfBudgetIsUnknownNotValid() {
    List<Operation> hard = randomHistory(new Random(3), 3000, 12, true);
    Verdict verdict = new LinearizabilityChecker(Duration.ZERO).check(hard);
    assertThat(verdict.validity()).isEqualTo(Validity.UNKNOWN);
    assertThat(verdict.isValid()).isFalse();
  }

  @Test
  void aLongConcurrentHistoryWithIndeterminateOperationsIsCheckedInTime() {
    List<Operation> history = new ArrayList<>();
    for (int key = 0; key < 5; key++) {
      for (Operation op : randomHistory(new Random(key), 6000, 10, true)) {
        history.add(onKey(op, "k" + key));
      }
    }
    long start = System.nanoTime();
    Verdict verdict = checker.check(history);
    assertThat(verdict.validity()).isEqualTo(Validity.VALID);
    assertThat(verdict.checked()).isGreaterThan(25_000);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aCorruptedReadInALongHistoryIsFound() {
    List<Operation> history = new ArrayList<>(randomHistory(new Random(9), 3000, 10, false));
    // Replace one read in the middle with a value written long before: a stale read.
    for (int i = 1500; i < history.size(); i++) {
      Operation op = history.get(i);
      if (op.f().equals("read") && op.value() != null && op.value() > 100) {
        history.set(i, new Operation(op.id(), op.process(), op.replica(), "read", op.key(), 5L, null, Outcome.OK,
            op.invokeNanos(), op.completeNanos(), null));
        break;
      }
    }
    assertThat(checker.check(history).validity()).isEqualTo(Validity.INVALID);
  }

  /**
   * A history of a real (simulated) register: clients run operations at random times, each
   * taking effect at a random instant inside its interval; some time out (indeterminate),
   * having taken effect or not. Linearizable by construction.
   */
  static List<Operation> randomHistory(Random random, int count, int clients, boolean withIndeterminate) {
    record Planned(int process, String f, long value, long expected, long from, long at, long to, boolean lost) {}
    List<Planned> planned = new ArrayList<>();
    long[] clientFree = new long[clients];
    long nextValue = 1;
    for (int i = 0; i < count; i++) {
      int client = random.nextInt(clients);
      long from = clientFree[client] + random.nextInt(3_000_000);
      long to = from + 200_000 + random.nextInt(5_000_000);
      long at = from + 1 + (long) (random.nextDouble() * (to - from - 2));
      clientFree[client] = to;
      int choice = random.nextInt(10);
      String f = choice < 4 ? "read" : choice < 7 ? "write" : "cas";
      boolean lost = withIndeterminate && f.equals("write") && random.nextInt(100) == 0;
      planned.add(new Planned(client, f, nextValue++, 0, from, at, to, lost));
    }
    // Apply in linearization order to learn reads' results and which compare-and-sets succeed.
    planned.sort(Comparator.comparingLong(Planned::at));
    List<Operation> ops = new ArrayList<>();
    Long register = null;
    long id = 0;
    for (Planned p : planned) {
      Outcome outcome = Outcome.OK;
      Long value = p.value();
      Long expected = null;
      switch (p.f()) {
        case "read" -> value = register;
        case "write" -> {
          if (p.lost() && random.nextBoolean()) {
            outcome = Outcome.INFO; // timed out without effect
          } else {
            if (p.lost()) {
              outcome = Outcome.INFO; // timed out, but took effect
            }
            register = p.value();
          }
        }
        default -> {
          expected = register != null && random.nextInt(4) > 0 ? register : -1L;
          if (expected.equals(register)) {
            register = p.value();
          } else {
            outcome = Outcome.FAIL;
          }
        }
      }
      ops.add(new Operation(id++, p.process(), "n1", p.f(), "k", value, expected, outcome, p.from(), p.to(),
          outcome == Outcome.OK ? null : "timeout"));
    }
    ops.sort(Comparator.comparingLong(Operation::invokeNanos));
    return ops;
  }
}
