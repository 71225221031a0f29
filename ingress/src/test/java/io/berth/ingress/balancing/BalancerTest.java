package io.berth.ingress.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.ingress.routing.BackendPolicy.Balancing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BalancerTest {
  private final AtomicLong now = new AtomicLong();
  private final Ejections ejections = new Ejections(Duration.ofSeconds(2), Duration.ofSeconds(30), now::get);
  private final Balancer balancer = new Balancer(ejections);
  private final Upstream a = new Upstream("10.0.0.1", 31000);
  private final Upstream b = new Upstream("10.0.0.2", 31000);
  private final Upstream c = new Upstream("10.0.0.3", 31000);
  private final List<Upstream> all = List.of(a, b, c);

  @Test
  void roundRobinTakesEachUpstreamInTurn() {
    List<Upstream> picks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picks.add(balancer.pick("web", all, Balancing.ROUND_ROBIN, Set.of()));
    }
    assertThat(picks).containsExactly(a, b, c, a, b, c);
  }

  @Test
  void aRetryNeverPicksAnUpstreamTheRequestTriedAndEndsWhenAllWereTried() {
    Set<Upstream> tried = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      Upstream next = balancer.pick("web", all, Balancing.ROUND_ROBIN, tried);
      assertThat(tried).doesNotContain(next);
      tried.add(next);
    }
    assertThat(balancer.pick("web", all, Balancing.ROUND_ROBIN, tried)).isNull();
  }

  @Test
  void anEjectedUpstreamIsSkippedUntilItsEjectionEnds() {
    ejections.connectFailed(b);
    List<Upstream> picks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picks.add(balancer.pick("web", all, Balancing.ROUND_ROBIN, Set.of()));
    }
    assertThat(picks).doesNotContain(b);

    now.addAndGet(Duration.ofSeconds(3).toNanos());
    Set<Upstream> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      seen.add(balancer.pick("web", all, Balancing.ROUND_ROBIN, Set.of()));
    }
    assertThat(seen).contains(b);
  }

  @Test
  void whenEveryUntriedUpstreamIsEjectedOneIsStillTried() {
    ejections.connectFailed(a);
    ejections.connectFailed(b);
    ejections.connectFailed(c);
    assertThat(balancer.pick("web", all, Balancing.ROUND_ROBIN, Set.of(a))).isIn(b, c);
  }

  @Test
  void repeatedFailuresEjectForLongerUpToTheMaximum() {
    ejections.connectFailed(a);
    now.addAndGet(Duration.ofMillis(2100).toNanos());
    assertThat(ejections.isEjected(a)).isFalse();
    ejections.connectFailed(a); // second failure in a row: 4 s
    now.addAndGet(Duration.ofMillis(3900).toNanos());
    assertThat(ejections.isEjected(a)).isTrue();
    for (int i = 0; i < 10; i++) {
      ejections.connectFailed(a);
    }
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(ejections.isEjected(a)).isFalse();
    ejections.connected(a);
    ejections.connectFailed(a); // forgotten by the success: 2 s again
    now.addAndGet(Duration.ofMillis(2100).toNanos());
    assertThat(ejections.isEjected(a)).isFalse();
  }

  @Test
  void leastRequestPicksTheUpstreamWithFewestOutstandingRequests() {
    balancer.started(a);
    balancer.started(a);
    balancer.started(c);
    assertThat(balancer.pick("web", all, Balancing.LEAST_REQUEST, Set.of())).isEqualTo(b);
    balancer.started(b);
    balancer.started(b);
    assertThat(balancer.pick("web", all, Balancing.LEAST_REQUEST, Set.of())).isEqualTo(c);
    balancer.finished(a);
    balancer.finished(a);
    assertThat(balancer.pick("web", all, Balancing.LEAST_REQUEST, Set.of())).isEqualTo(a);
  }
}
