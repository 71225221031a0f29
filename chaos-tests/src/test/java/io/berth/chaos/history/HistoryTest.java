package io.berth.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryTest {

  @Test
  void aReadRecordsTheValueItReturnedAndAWriteTheValueItWrote() {
    History history = new History();
    history.invoke(0, "n1", "write", "k", 5L, null).ok(null);
    history.invoke(1, "n2", "read", "k", null, null).ok(5L);
    history.invoke(2, "n3", "cas", "k", 6L, 5L).info("deadline exceeded");

    assertThat(history.operations()).extracting(Operation::f, Operation::value, Operation::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("write", 5L, Outcome.OK),
            org.assertj.core.groups.Tuple.tuple("read", 5L, Outcome.OK),
            org.assertj.core.groups.Tuple.tuple("cas", 6L, Outcome.INFO));
    assertThat(history.operations().get(2).expected()).isEqualTo(5L);
  }

  @Test
  void operationsComeBackInInvocationOrderWhateverOrderTheyCompleted() {
    History history = new History();
    History.Pending first = history.invoke(0, "n1", "write", "k", 1L, null);
    History.Pending second = history.invoke(1, "n1", "write", "k", 2L, null);
    second.ok(null);
    first.ok(null);

    assertThat(history.operations()).extracting(Operation::value).containsExactly(1L, 2L);
    assertThat(history.operations().get(0).completeNanos())
        .isGreaterThanOrEqualTo(history.operations().get(1).completeNanos());
  }
}
