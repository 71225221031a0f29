package io.berth.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLifecycleDecisionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final NodeLifecycleSettings settings = NodeLifecycleSettings.defaults();

  @Test
  void aNodeHeardFromWithinTheGraceIsLeftAloneAndLookedAtAgainAtTheDeadline() {
    NodePlan plan = NodeLifecycleDecision.plan(node("True"), List.of(), T0, T0.plusSeconds(30), settings, true);
    assertThat(plan.marksUnknown()).isFalse();
    assertThat(plan.addTaint()).isNull();
    assertThat(plan.recheckAfter()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
  }

  @Test
  void aSilentNodeBecomesUnknownAndIsTaintedUnreachable() {
    NodePlan plan = NodeLifecycleDecision.plan(node("True"), List.of(), T0, T0.plusSeconds(41), settings, true);
    assertThat(plan.conditions()).allSatisfy(c -> {
      assertThat(c.getStatus()).isEqualTo("Unknown");
      assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
      assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    });
    assertThat(plan.conditions()).extracting(NodeCondition::getType).containsExactly("Ready", "MemoryPressure");
    assertThat(plan.addTaint().getKey()).isEqualTo("node.kubernetes.io/unreachable");
    assertThat(plan.addTaint().getEffect()).isEqualTo("NoExecute");
  }

  @Test
  void aNodeReportingNotReadyIsTaintedNotReady() {
    NodePlan plan = NodeLifecycleDecision.plan(node("False"), List.of(), T0, T0.plusSeconds(1), settings, true);
    assertThat(plan.marksUnknown()).isFalse();
    assertThat(plan.addTaint().getKey()).isEqualTo("node.kubernetes.io/not-ready");
  }

  @Test
  void podsAreEvictedWhenTheirTolerationRunsOutAndNotBefore() {
    Node tainted = tainted(node("Unknown"), T0);
    Pod plain = pod("plain", null);
    Pod brief = pod("brief", 10L);
    Pod forever = new PodBuilder(pod("forever", null)).editSpec().addNewToleration()
        .withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute").endToleration()
        .endSpec().build();
    List<Pod> pods = List.of(plain, brief, forever);

    NodePlan early = NodeLifecycleDecision.plan(tainted, pods, T0.minusSeconds(60), T0.plusSeconds(5), settings, true);
    assertThat(early.evict()).isEmpty();
    assertThat(early.recheckAfter()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));

    NodePlan later = NodeLifecycleDecision.plan(tainted, pods, T0.minusSeconds(60), T0.plusSeconds(10), settings, true);
    assertThat(later.evict()).containsExactly(brief);

    NodePlan muchLater = NodeLifecycleDecision.plan(tainted, pods, T0.minusSeconds(60), T0.plusSeconds(300), settings,
        true);
    assertThat(muchLater.evict()).as("the default toleration is 300 s; forever is forever").containsExactly(plain, brief);
  }

  @Test
  void nothingIsEvictedWhileEvictionsAreHeldBack() {
    NodePlan plan = NodeLifecycleDecision.plan(tainted(node("Unknown"), T0), List.of(pod("p", 0L)), T0.minusSeconds(60),
        T0.plusSeconds(1000), settings, false);
    assertThat(plan.evict()).isEmpty();
    assertThat(plan.recheckAfter()).isNotNull();
  }

  @Test
  void aNodeReadyAgainLosesItsTaint() {
    Node back = tainted(node("True"), T0);
    NodePlan plan = NodeLifecycleDecision.plan(back, List.of(pod("p", 0L)), T0.plusSeconds(100), T0.plusSeconds(101),
        settings, true);
    assertThat(plan.removeTaints()).extracting(Taint::getKey).containsExactly("node.kubernetes.io/unreachable");
    assertThat(plan.addTaint()).isNull();
    assertThat(plan.evict()).isEmpty();
  }

  @Test
  void evictionsAreHeldBackWhenEveryNodeIsDownAndSlowedWhenMostAre() {
    List<Node> down = List.of(node("Unknown"), node("Unknown"), node("False"));
    assertThat(Disruption.of(down, 0.55)).isEqualTo(Disruption.FULL);
    List<Node> most = List.of(node("Unknown"), node("Unknown"), node("False"), node("True"));
    assertThat(Disruption.of(most, 0.55)).isEqualTo(Disruption.PARTIAL);
    assertThat(Disruption.PARTIAL.rate(settings)).isEqualTo(0.01);
    assertThat(Disruption.of(List.of(node("Unknown"), node("True")), 0.55)).isEqualTo(Disruption.NORMAL);
  }

  @Test
  void theEvictionBucketAdmitsOneNodeAtTheRateAndChargesNothingForARefusal() {
    EvictionLimiter limiter = new EvictionLimiter();
    assertThat(limiter.tryTake(T0, 0.1)).isEmpty();
    assertThat(limiter.tryTake(T0.plusSeconds(5), 0.1)).contains(Duration.ofSeconds(5));
    assertThat(limiter.tryTake(T0.plusSeconds(10), 0.1)).isEmpty();
    assertThat(limiter.tryTake(T0.plusSeconds(100), 0)).isPresent();
  }

  private static Node node(String ready) {
    return new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().withNewSpec().endSpec()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus(ready).withLastHeartbeatTime(T0.toString()).endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
        .endStatus().build();
  }

  private static Node tainted(Node node, Instant at) {
    Taint taint = new TaintBuilder().withKey("node.kubernetes.io/unreachable").withEffect("NoExecute")
        .withTimeAdded(at.toString()).build();
    return new NodeBuilder(node).editSpec().withTaints(taint).endSpec().build();
  }

  private static Pod pod(String name, Long unreachableSeconds) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
        .withNewSpec().withNodeName("node-1").endSpec();
    if (unreachableSeconds != null) {
      pod.editSpec().addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
          .withEffect("NoExecute").withTolerationSeconds(unreachableSeconds).endToleration().endSpec();
    }
    return pod.build();
  }
}
