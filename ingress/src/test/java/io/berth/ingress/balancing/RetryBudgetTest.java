package io.berth.ingress.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  @Test
  void allowsTheReserveThenOneRetryPerFiveRequests() {
    RetryBudget budget = new RetryBudget(0.2, 3);
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isFalse();

    for (int i = 0; i < 4; i++) {
      budget.requested();
    }
    assertThat(budget.tryRetry()).isFalse();
    budget.requested();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isFalse();
  }

  @Test
  void savesAtMostItsCapDuringQuietTimes() {
    RetryBudget budget = new RetryBudget(1.0, 1);
    for (int i = 0; i < 10_000; i++) {
      budget.requested();
    }
    int allowed = 0;
    while (budget.tryRetry()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(100);
  }
}
