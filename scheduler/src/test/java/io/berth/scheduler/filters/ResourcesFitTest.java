package io.berth.scheduler.filters;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcesFitTest {
  private final ResourcesFit filter = new ResourcesFit();

  @Test
  void fitsExactlyWhatIsLeft() {
    var cluster = cluster(node("a").cpu("2").memory("2Gi")).with(pod("x").on("a").cpu("1").memory("1Gi"));
    assertThat(filter.filter(pod("p").cpu("1").memory("1Gi").build(), cluster.info("a")).fit()).isTrue();
  }

  @Test
  void reportsEveryShortfall() {
    var cluster = cluster(node("a").cpu("2").memory("2Gi").pods(1)).with(pod("x").on("a").cpu("1500m").memory("1Gi"));
    assertThat(filter.filter(pod("p").cpu("1").memory("2Gi").build(), cluster.info("a")).reasons())
        .containsExactly("Too many pods", "Insufficient cpu", "Insufficient memory");
  }

  @Test
  void aPodWithoutRequestsFitsAnOvercommittedNode() {
    var cluster = cluster(node("a").cpu("1")).with(pod("x").on("a").cpu("2"));
    assertThat(filter.filter(pod("p").build(), cluster.info("a")).fit()).isTrue();
  }

  @Test
  void messageThroughTheScheduler() {
    var cluster = cluster(node("a").pods(1)).with(pod("x").on("a"));
    assertThat(cluster.failure(pod("p"))).isEqualTo("0/1 nodes are available: 1 Too many pods.");
  }
}
