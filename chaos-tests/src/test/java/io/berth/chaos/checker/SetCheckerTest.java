package io.berth.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetCheckerTest {

  private static Operation add(long element, Outcome outcome) {
    return Ops.op(0, "add", "set/", element, null, outcome, element, element + 1);
  }

  private static final List<Operation> ADDS = List.of(add(1, Outcome.OK), add(2, Outcome.OK), add(3, Outcome.FAIL),
      add(4, Outcome.INFO), add(5, Outcome.INFO));

  @Test
  void everyAcknowledgedAddPresentEverywhereIsValid() {
    Verdict verdict = SetChecker.check(ADDS, List.of(List.of(1L, 2L, 4L), List.of(1L, 2L, 4L)));
    assertThat(verdict.validity()).isEqualTo(Validity.VALID);
    assertThat(verdict.note()).contains("2 indeterminate (1 of them present)");
  }

  @Test
  void lostAcknowledgedAddIsCaught() {
    Verdict verdict = SetChecker.check(ADDS, List.of(List.of(1L)));
    assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
    assertThat(verdict.anomalies()).anyMatch(a -> a.contains("lost") && a.contains("[2]"));
  }

  @Test
  void elementWhoseAddFailedIsCaught() {
    assertThat(SetChecker.check(ADDS, List.of(List.of(1L, 2L, 3L))).anomalies())
        .anyMatch(a -> a.contains("add failed") && a.contains("[3]"));
  }

  @Test
  void elementNobodyAddedIsCaught() {
    assertThat(SetChecker.check(ADDS, List.of(List.of(1L, 2L, 99L))).anomalies())
        .anyMatch(a -> a.contains("never added") && a.contains("[99]"));
  }

  @Test
  void duplicatedElementIsCaught() {
    assertThat(SetChecker.check(ADDS, List.of(List.of(1L, 2L, 2L))).anomalies())
        .anyMatch(a -> a.contains("duplicated") && a.contains("[2]"));
  }

  @Test
  void replicasThatDisagreeAreCaught() {
    Verdict verdict = SetChecker.check(ADDS, List.of(List.of(1L, 2L, 4L), List.of(1L, 2L)));
    assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
    assertThat(verdict.anomalies()).anyMatch(a -> a.contains("disagrees") && a.contains("only in read 0 [4]"));
  }
}
