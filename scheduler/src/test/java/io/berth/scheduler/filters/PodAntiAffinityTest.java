package io.berth.scheduler.filters;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodAntiAffinityTest {
  @Test
  void theIncomingPodAvoidsNodesWithAMatchingPod() {
    var cluster = cluster(node("a"), node("b")).with(pod("db-0").on("a").label("app", "db"));
    assertThat(cluster.placed(pod("db-1").label("app", "db").avoid("app", "db"))).isEqualTo("b");
  }

  @Test
  void anExistingPodsRuleKeepsTheIncomingPodAway() {
    var cluster = cluster(node("a"), node("b")).with(pod("db-0").on("a").label("app", "db").avoid("app", "db"));
    assertThat(cluster.placed(pod("db-1").label("app", "db"))).isEqualTo("b");
  }

  @Test
  void otherNamespacesDoNotCount() {
    var cluster = cluster(node("a")).with(pod("db-0").on("a").namespace("other").label("app", "db"));
    assertThat(cluster.placed(pod("db-1").avoid("app", "db"))).isEqualTo("a");
  }

  @Test
  void otherTopologyKeysAreNotEvaluated() {
    var cluster = cluster(node("a")).with(pod("db-0").on("a").label("app", "db"));
    assertThat(cluster.placed(pod("db-1").avoid("app", "db", "topology.kubernetes.io/zone"))).isEqualTo("a");
  }

  @Test
  void message() {
    var cluster = cluster(node("a"), node("b"))
        .with(pod("db-0").on("a").label("app", "db"), pod("db-1").on("b").label("app", "db"));
    assertThat(cluster.failure(pod("db-2").label("app", "db").avoid("app", "db")))
        .isEqualTo("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.");
  }
}
