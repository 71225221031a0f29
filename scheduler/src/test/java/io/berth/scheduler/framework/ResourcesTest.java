package io.berth.scheduler.framework;

import static io.berth.scheduler.Harness.cluster;
import static io.berth.scheduler.Harness.node;
import static io.berth.scheduler.Harness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  @Test
  void parsesCpuAndMemoryQuantities() {
    var requested = Resources.requestedBy(pod("p").cpu("250m").memory("1Gi").build());
    assertThat(requested).isEqualTo(new Resources(250, 1L << 30, 1));
    assertThat(Resources.requestedBy(pod("p").cpu("1.5").memory("500M").build()))
        .isEqualTo(new Resources(1500, 500_000_000, 1));
  }

  @Test
  void theLargestInitContainerCountsWhenItIsMore() {
    var pod = pod("p").cpu("100m").build();
    pod.getSpec().setInitContainers(java.util.List.of(new ContainerBuilder().withName("init")
        .withNewResources().addToRequests("cpu", new Quantity("2")).endResources().build()));
    assertThat(Resources.requestedBy(pod).milliCpu()).isEqualTo(2000);
  }

  @Test
  void nodeInfoSumsThePodsOnIt() {
    var info = cluster(node("a")).with(pod("x").on("a").cpu("1"), pod("y").on("a").cpu("500m"), pod("z").on("b"))
        .info("a");
    assertThat(info.requested()).isEqualTo(new Resources(1500, 0, 2));
    assertThat(info.free().milliCpu()).isEqualTo(2500);
    assertThat(info.free().pods()).isEqualTo(108);
  }
}
