package io.berth.scheduler.filters;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static io.berth.scheduler.Harness.req;
import static io.berth.scheduler.Harness.term;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.scheduler.Harness;
import org.junit.jupiter.api.Test;

class NodeAffinityFilterTest {
  private final Harness.Cluster cluster = cluster(
      node("a").label("zone", "z1").label("cores", "8").label("gpu", "yes"),
      node("b").label("zone", "z2").label("cores", "16"),
      node("c").label("zone", "z3"));

  private boolean fits(Harness.P pod, String node) {
    return new NodeAffinityFilter().filter(pod.build(), cluster.info(node)).fit();
  }

  @Test
  void nodeSelector() {
    assertThat(fits(pod("p").nodeSelector("zone", "z2"), "b")).isTrue();
    assertThat(fits(pod("p").nodeSelector("zone", "z2"), "a")).isFalse();
    assertThat(cluster.placed(pod("p").nodeSelector("zone", "z2"))).isEqualTo("b");
  }

  @Test
  void inAndNotIn() {
    var in = pod("p").requireTerm(term(req("zone", "In", "z1", "z3")));
    assertThat(fits(in, "a")).isTrue();
    assertThat(fits(in, "b")).isFalse();
    var notIn = pod("p").requireTerm(term(req("zone", "NotIn", "z1", "z3")));
    assertThat(fits(notIn, "b")).isTrue();
    assertThat(fits(notIn, "c")).isFalse();
  }

  @Test
  void existsAndDoesNotExist() {
    assertThat(fits(pod("p").requireTerm(term(req("gpu", "Exists"))), "a")).isTrue();
    assertThat(fits(pod("p").requireTerm(term(req("gpu", "Exists"))), "b")).isFalse();
    assertThat(fits(pod("p").requireTerm(term(req("gpu", "DoesNotExist"))), "b")).isTrue();
    assertThat(fits(pod("p").requireTerm(term(req("gpu", "DoesNotExist"))), "a")).isFalse();
  }

  @Test
  void gtAndLtCompareIntegersAndAMissingLabelNeverMatches() {
    assertThat(fits(pod("p").requireTerm(term(req("cores", "Gt", "10"))), "b")).isTrue();
    assertThat(fits(pod("p").requireTerm(term(req("cores", "Gt", "10"))), "a")).isFalse();
    assertThat(fits(pod("p").requireTerm(term(req("cores", "Lt", "10"))), "a")).isTrue();
    assertThat(fits(pod("p").requireTerm(term(req("cores", "Lt", "10"))), "c")).isFalse();
  }

  @Test
  void termsAreOredRequirementsAnded() {
    var either = pod("p").requireTerm(term(req("zone", "In", "z1"))).requireTerm(term(req("zone", "In", "z2")));
    assertThat(fits(either, "a")).isTrue();
    assertThat(fits(either, "b")).isTrue();
    assertThat(fits(either, "c")).isFalse();
    var both = pod("p").requireTerm(term(req("zone", "In", "z1", "z2"), req("gpu", "Exists")));
    assertThat(fits(both, "a")).isTrue();
    assertThat(fits(both, "b")).isFalse();
  }

  @Test
  void message() {
    assertThat(cluster.failure(pod("p").nodeSelector("zone", "nowhere")))
        .isEqualTo("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
  }
}
