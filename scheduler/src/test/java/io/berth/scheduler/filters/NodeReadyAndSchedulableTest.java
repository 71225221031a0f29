package io.berth.scheduler.filters;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeReadyAndSchedulableTest {
  @Test
  void cordonedNode() {
    assertThat(cluster(node("a").unschedulable()).failure(pod("p")))
        .isEqualTo("0/1 nodes are available: 1 node(s) were unschedulable.");
  }

  @Test
  void unknownReadinessIsUnreachable() {
    assertThat(cluster(node("a").ready("Unknown")).failure(pod("p")))
        .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.");
  }

  @Test
  void notReadyIsNotReady() {
    assertThat(cluster(node("a").ready("False")).failure(pod("p")))
        .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.");
  }

  @Test
  void aPodToleratingEverythingGoesAnywhere() {
    assertThat(cluster(node("a").ready("Unknown").unschedulable()).placed(pod("p").tolerateAll())).isEqualTo("a");
  }

  @Test
  void readyNodesAreChosenOverOthers() {
    assertThat(cluster(node("a").ready("False"), node("b"), node("c").unschedulable()).placed(pod("p"))).isEqualTo("b");
  }
}
