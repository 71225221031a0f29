package io.berth.agent.pods;

import io.berth.agent.runtime.ContainerInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A pod's status from what the agent observed, as Kubernetes computes it: the phase, the
 * conditions (PodScheduled, Initialized, ContainersReady, Ready), and a status per container
 * (state waiting/running/terminated, lastState, restartCount, ready, started). Pure.
 *
 * <p>Phase: Pending until every init container succeeded and every app container ran at least
 * once; Succeeded or Failed once every app container has exited for good (Failed if one did so
 * with a non-zero code, or an init container failed and will not run again); Running otherwise.
 */
public final class PodStatusCalculator {
  private PodStatusCalculator() {}

  public static PodStatus compute(Pod pod, PodObservation seen) {
    PodStatus previous = pod.getStatus();
    List<Container> init = orEmpty(pod.getSpec().getInitContainers());
    List<Container> app = orEmpty(pod.getSpec().getContainers());

    List<ContainerStatus> initStatuses = new ArrayList<>();
    boolean initialized = true;
    boolean initFailed = false;
    for (Container c : init) {
      Optional<ContainerInfo> latest = latest(seen, c.getName());
      initStatuses.add(status(c, seen, false));
      boolean done = latest.filter(l -> l.exited() && l.exitCode() == 0).isPresent();
      if (!done) {
        initialized = false;
        initFailed |= latest.filter(l -> l.exited() && l.exitCode() != 0 && !seen.willRestart().contains(c.getName()))
            .isPresent();
      }
    }

    List<ContainerStatus> appStatuses = new ArrayList<>();
    boolean allReady = !app.isEmpty();
    boolean allRan = true;
    boolean allDone = true;
    boolean anyFailed = false;
    for (Container c : app) {
      ContainerStatus status = status(c, seen, initialized);
      appStatuses.add(status);
      allReady &= Boolean.TRUE.equals(status.getReady());
      Optional<ContainerInfo> latest = latest(seen, c.getName());
      allRan &= latest.filter(l -> l.state() != ContainerInfo.State.CREATED).isPresent();
      boolean done = latest.filter(ContainerInfo::exited).isPresent() && !seen.willRestart().contains(c.getName());
      allDone &= done;
      anyFailed |= done && latest.get().exitCode() != 0;
    }
    if (seen.terminating()) {
      allReady = false;
    }

    String phase;
    if (initFailed) {
      phase = "Failed";
    } else if (!initialized || !allRan) {
      phase = "Pending";
    } else if (allDone) {
      phase = anyFailed ? "Failed" : "Succeeded";
    } else {
      phase = "Running";
    }
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");

    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition(previous, "PodScheduled", true, null, seen.now()));
    conditions.add(condition(previous, "Initialized", initialized || terminal && !initFailed,
        initialized ? null : "ContainersNotInitialized", seen.now()));
    conditions.add(condition(previous, "ContainersReady", allReady && !terminal,
        allReady ? null : terminal ? "PodCompleted" : "ContainersNotReady", seen.now()));
    conditions.add(condition(previous, "Ready", allReady && !terminal,
        allReady ? null : terminal ? "PodCompleted" : "ContainersNotReady", seen.now()));

    PodStatusBuilder status = new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(conditions)
        .withHostIP(seen.hostIp())
        .withInitContainerStatuses(initStatuses)
        .withContainerStatuses(appStatuses)
        .withQosClass(previous == null ? null : previous.getQosClass())
        .withStartTime(previous != null && previous.getStartTime() != null ? previous.getStartTime()
            : time(seen.now()));
    if (seen.hostIp() != null) {
      status.withHostIPs(new io.fabric8.kubernetes.api.model.HostIPBuilder().withIp(seen.hostIp()).build());
    }
    if (seen.podIp() != null) {
      status.withPodIP(seen.podIp()).withPodIPs(new PodIPBuilder().withIp(seen.podIp()).build());
    }
    return status.build();
  }

  private static ContainerStatus status(Container c, PodObservation seen, boolean mayRun) {
    List<ContainerInfo> attempts = seen.containers().stream().filter(i -> i.name().equals(c.getName()))
        .sorted(Comparator.comparingInt(ContainerInfo::attempt).reversed()).toList();
    ContainerStatusBuilder status = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
        .withImageID("").withRestartCount(attempts.isEmpty() ? 0 : attempts.get(0).attempt());
    if (attempts.isEmpty()) {
      Waiting waiting = seen.waiting().getOrDefault(c.getName(),
          new Waiting(mayRun ? "ContainerCreating" : "PodInitializing", null));
      return status.withState(waitingState(waiting)).withReady(false).withStarted(false).build();
    }
    ContainerInfo latest = attempts.get(0);
    Optional<ContainerInfo> before = attempts.size() > 1 ? Optional.of(attempts.get(1)) : Optional.empty();
    status.withContainerID(containerId(seen, latest));
    switch (latest.state()) {
      case RUNNING -> {
        status.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(time(latest.startedAt()))
            .endRunning().build());
        before.ifPresent(b -> status.withLastState(terminated(seen, b)));
        boolean ready = seen.ready().contains(latest.id()) && !seen.terminating();
        status.withReady(ready).withStarted(seen.started().contains(latest.id()));
      }
      case CREATED -> {
        Waiting waiting = seen.waiting().getOrDefault(c.getName(), new Waiting("ContainerCreating", null));
        status.withState(waitingState(waiting)).withReady(false).withStarted(false);
        before.ifPresent(b -> status.withLastState(terminated(seen, b)));
      }
      case EXITED -> {
        if (seen.willRestart().contains(c.getName())) {
          Waiting waiting = seen.waiting().getOrDefault(c.getName(), new Waiting("CrashLoopBackOff", null));
          status.withState(waitingState(waiting)).withLastState(terminated(seen, latest));
        } else {
          status.withState(terminated(seen, latest));
          before.ifPresent(b -> status.withLastState(terminated(seen, b)));
        }
        status.withReady(false).withStarted(false);
      }
      default -> throw new IllegalStateException("unknown state " + latest.state());
    }
    return status.build();
  }

  /** Kubernetes' containerID: the runtime's name as the scheme, "docker://4f3a...". */
  private static String containerId(PodObservation seen, ContainerInfo info) {
    return (seen.runtime() == null ? "berth" : seen.runtime()) + "://" + info.id();
  }

  private static ContainerState waitingState(Waiting waiting) {
    return new ContainerStateBuilder().withNewWaiting().withReason(waiting.reason()).withMessage(waiting.message())
        .endWaiting().build();
  }

  private static ContainerState terminated(PodObservation seen, ContainerInfo info) {
    return new ContainerStateBuilder().withNewTerminated().withExitCode(info.exitCode())
        .withReason(info.reason() == null ? ContainerInfo.reasonFor(info.exitCode()) : info.reason())
        .withStartedAt(time(info.startedAt())).withFinishedAt(time(info.finishedAt()))
        .withContainerID(containerId(seen, info)).endTerminated().build();
  }

  private static Optional<ContainerInfo> latest(PodObservation seen, String name) {
    return seen.containers().stream().filter(i -> i.name().equals(name))
        .max(Comparator.comparingInt(ContainerInfo::attempt));
  }

  /** A condition, keeping its lastTransitionTime while its status does not change. */
  private static PodCondition condition(PodStatus previous, String type, boolean value, String reason, Instant now) {
    String status = value ? "True" : "False";
    String since = time(now);
    if (previous != null && previous.getConditions() != null) {
      for (PodCondition old : previous.getConditions()) {
        if (type.equals(old.getType()) && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
          since = old.getLastTransitionTime();
        }
      }
    }
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withLastTransitionTime(since).build();
  }

  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
