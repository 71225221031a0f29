package io.berth.controllers.replicaset;

import static io.berth.controllers.testing.Objects.T0;
import static io.berth.controllers.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodRankingTest {
  private static final Map<String, String> L = Map.of("app", "web");

  @Test
  void theLeastValuablePodsComeFirst() {
    Pod unassigned = new PodBuilder(pod("unassigned", L, null, null)).editSpec().withNodeName(null).endSpec()
        .editStatus().withPhase("Pending").endStatus().build();
    Pod pending = new PodBuilder(pod("pending", L, null, null)).editStatus().withPhase("Pending").endStatus().build();
    Pod unknown = new PodBuilder(pod("unknown", L, null, null)).editStatus().withPhase("Unknown").endStatus().build();
    Pod runningNotReady = pod("running-not-ready", L, null, null);
    Pod readyRestarted = new PodBuilder(pod("ready-restarted", L, null, T0)).editStatus().addNewContainerStatus()
        .withName("app").withRestartCount(5).endContainerStatus().endStatus().build();
    Pod readyNewer = new PodBuilder(pod("ready-newer", L, null, T0)).editMetadata()
        .withCreationTimestamp(T0.plusSeconds(60).toString()).endMetadata().build();
    Pod readyOlder = pod("ready-older", L, null, T0);
    List<Pod> expected = List.of(unassigned, pending, unknown, runningNotReady, readyRestarted, readyNewer,
        readyOlder);

    List<Pod> shuffled = new ArrayList<>(expected);
    Collections.reverse(shuffled);
    shuffled.sort(PodRanking.LEAST_VALUABLE_FIRST);

    assertThat(shuffled).extracting(p -> p.getMetadata().getName())
        .containsExactlyElementsOf(expected.stream().map(p -> p.getMetadata().getName()).toList());
  }
}
