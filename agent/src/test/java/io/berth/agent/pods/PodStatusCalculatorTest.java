package io.berth.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.PodRef;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodStatusCalculatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final PodRef REF = new PodRef("uid-1", "default", "web");

  private final Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-1")
      .endMetadata().withNewSpec().addNewInitContainer().withName("init").withImage("i").endInitContainer()
      .addNewContainer().withName("app").withImage("a").endContainer().endSpec().build();

  @Test
  void aPodWhoseInitContainerRunsIsPendingAndItsAppContainerWaitsForIt() {
    PodStatus status = compute(List.of(running("init", 0, "c1")), Set.of(), Map.of(), Set.of());
    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("PodInitializing");
    assertThat(condition(status, "Initialized")).isEqualTo("False");
    assertThat(condition(status, "PodScheduled")).isEqualTo("True");
  }

  @Test
  void aRunningReadyAppContainerMakesThePodRunningAndReady() {
    PodStatus status = compute(List.of(exited("init", 0, "c1", 0), running("app", 0, "c2")), Set.of("c2"), Map.of(),
        Set.of());
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(condition(status, "Initialized")).isEqualTo("True");
    assertThat(condition(status, "ContainersReady")).isEqualTo("True");
    assertThat(condition(status, "Ready")).isEqualTo("True");
    assertThat(status.getPodIP()).isEqualTo("10.0.0.5");
    assertThat(status.getContainerStatuses().get(0).getReady()).isTrue();
    assertThat(status.getContainerStatuses().get(0).getContainerID()).isEqualTo("docker://c2");
  }

  @Test
  void aCrashedContainerWaitingToRestartShowsCrashLoopBackOffWithItsLastState() {
    PodStatus status = compute(List.of(exited("init", 0, "c1", 0), exited("app", 2, "c3", 1)), Set.of(),
        Map.of("app", new Waiting("CrashLoopBackOff", "back-off 20s")), Set.of("app"));
    var app = status.getContainerStatuses().get(0);
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(app.getRestartCount()).isEqualTo(2);
    assertThat(app.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(app.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(condition(status, "Ready")).isEqualTo("False");
  }

  @Test
  void containersThatExitedForGoodEndThePodSucceededOrFailed() {
    assertThat(compute(List.of(exited("init", 0, "c1", 0), exited("app", 0, "c2", 0)), Set.of(), Map.of(), Set.of())
        .getPhase()).isEqualTo("Succeeded");
    PodStatus failed = compute(List.of(exited("init", 0, "c1", 0), exited("app", 0, "c2", 137)), Set.of(), Map.of(),
        Set.of());
    assertThat(failed.getPhase()).isEqualTo("Failed");
    assertThat(failed.getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(137);
  }

  @Test
  void anInitContainerThatFailedForGoodFailsThePod() {
    assertThat(compute(List.of(exited("init", 0, "c1", 1)), Set.of(), Map.of(), Set.of()).getPhase())
        .isEqualTo("Failed");
  }

  @Test
  void aTerminatingPodIsNotReadyWhateverItsProbesSay() {
    PodObservation seen = new PodObservation(List.of(exited("init", 0, "c1", 0), running("app", 0, "c2")),
        Set.of("c2"), Set.of("c2"), Map.of(), Set.of(), "10.0.0.5", "10.0.0.5", true, T0, "docker");
    PodStatus status = PodStatusCalculator.compute(pod, seen);
    assertThat(condition(status, "Ready")).isEqualTo("False");
    assertThat(status.getContainerStatuses().get(0).getReady()).isFalse();
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsValueStays() {
    PodStatus first = compute(List.of(exited("init", 0, "c1", 0), running("app", 0, "c2")), Set.of("c2"), Map.of(),
        Set.of());
    Pod seenBefore = new PodBuilder(pod).withStatus(first).build();
    PodObservation later = new PodObservation(List.of(exited("init", 0, "c1", 0), running("app", 0, "c2")),
        Set.of("c2"), Set.of("c2"), Map.of(), Set.of(), "10.0.0.5", "10.0.0.5", false, T0.plusSeconds(60), "docker");
    PodStatus second = PodStatusCalculator.compute(seenBefore, later);
    assertThat(second).isEqualTo(first);
  }

  private PodStatus compute(List<ContainerInfo> containers, Set<String> ready, Map<String, Waiting> waiting,
      Set<String> willRestart) {
    return PodStatusCalculator.compute(pod, new PodObservation(containers, ready, ready, waiting, willRestart,
        "10.0.0.5", "10.0.0.5", false, T0, "docker"));
  }

  private static ContainerInfo running(String name, int attempt, String id) {
    return new ContainerInfo(id, REF, name, attempt, ContainerInfo.State.RUNNING, 0, null, T0, null, "img");
  }

  private static ContainerInfo exited(String name, int attempt, String id, int code) {
    return new ContainerInfo(id, REF, name, attempt, ContainerInfo.State.EXITED, code, ContainerInfo.reasonFor(code),
        T0, T0.plusSeconds(1), "img");
  }

  private static String condition(PodStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow().getStatus();
  }
}
