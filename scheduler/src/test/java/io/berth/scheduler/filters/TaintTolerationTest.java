package io.berth.scheduler.filters;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaintTolerationTest {
  @Test
  void namesTheFirstUntoleratedTaint() {
    var cluster = cluster(node("a").taint("dedicated", "gpu", "NoSchedule").taint("team", "ml", "NoExecute"));
    assertThat(cluster.failure(pod("p")))
        .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.");
    assertThat(cluster.failure(pod("p").tolerate("dedicated", "gpu", "NoSchedule")))
        .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {team: ml}.");
  }

  @Test
  void toleratedTaintsLetThePodIn() {
    var cluster = cluster(node("a").taint("dedicated", "gpu", "NoSchedule").taint("team", "ml", "NoExecute"));
    assertThat(cluster.placed(pod("p").tolerate("dedicated", "gpu", "NoSchedule").tolerate("team", "ml", ""))).isEqualTo("a");
  }

  @Test
  void aTolerationForAnotherValueOrEffectDoesNotCount() {
    var cluster = cluster(node("a").taint("dedicated", "gpu", "NoSchedule"));
    assertThat(cluster.failure(pod("p").tolerate("dedicated", "cpu", "NoSchedule"))).contains("{dedicated: gpu}");
    assertThat(cluster.failure(pod("p").tolerate("dedicated", "gpu", "NoExecute"))).contains("{dedicated: gpu}");
  }

  @Test
  void preferNoScheduleDoesNotFilter() {
    assertThat(cluster(node("a").taint("slow", "disk", "PreferNoSchedule")).placed(pod("p"))).isEqualTo("a");
  }
}
