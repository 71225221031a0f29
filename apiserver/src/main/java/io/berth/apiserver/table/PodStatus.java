package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A pod's STATUS, READY and RESTARTS cells as kubectl shows them: not only the phase, but what
 * holds the pod up. Init containers are looked at first (Init:1/3, Init:CrashLoopBackOff,
 * Init:ExitCode:1); once initialized, the containers' waiting or terminated reasons
 * (ContainerCreating, CrashLoopBackOff, Completed, Error, OOMKilled) win over the phase, the
 * first container's reason last. A pod being deleted is Terminating.
 */
final class PodStatus {
  private final JsonNode pod;
  private String reason;
  private int restarts;
  private Instant lastRestart;
  private int readyContainers;

  private PodStatus(JsonNode pod) {
    this.pod = pod;
    this.reason = pod.at("/status/reason").asText("").isEmpty()
        ? pod.at("/status/phase").asText("Pending") : pod.at("/status/reason").asText();
  }

  static PodStatus of(JsonNode pod) {
    PodStatus status = new PodStatus(pod);
    status.compute();
    return status;
  }

  String reason() {
    return reason;
  }

  /** "3", or "3 (5m ago)" when the last restart's time is known. */
  String restarts(Ages ages) {
    return lastRestart == null ? Integer.toString(restarts)
        : restarts + " (" + ages.since(lastRestart.toString()) + " ago)";
  }

  /** Containers running and ready, out of all regular ones. */
  String ready() {
    return readyContainers + "/" + pod.at("/spec/containers").size();
  }

  private void compute() {
    if (hasCondition("PodScheduled", "False", "SchedulingGated")) {
      reason = "SchedulingGated";
    }
    boolean initializing = initContainers();
    if (!initializing || hasCondition("Initialized", "True", null)) {
      containers();
    }
    if (!pod.at("/metadata/deletionTimestamp").asText("").isEmpty()) {
      if (pod.at("/status/reason").asText("").equals("NodeLost")) {
        reason = "Unknown";
      } else if (!isTerminalPhase()) {
        reason = "Terminating";
      }
    }
  }

  /** @return whether the pod is still initializing (some init container has not finished) */
  private boolean initContainers() {
    JsonNode statuses = pod.at("/status/initContainerStatuses");
    int total = pod.at("/spec/initContainers").size();
    for (int i = 0; i < statuses.size(); i++) {
      JsonNode s = statuses.get(i);
      countRestarts(s);
      JsonNode terminated = s.at("/state/terminated");
      JsonNode waiting = s.at("/state/waiting");
      if (!terminated.isMissingNode() && terminated.path("exitCode").asInt(0) == 0) {
        continue;
      }
      if (isSidecar(s.path("name").asText()) && s.path("started").asBoolean(false)) {
        continue;
      }
      if (!terminated.isMissingNode()) {
        String why = terminated.path("reason").asText("");
        reason = "Init:" + (why.isEmpty() ? exitDescription(terminated) : why);
      } else if (!waiting.path("reason").asText("").isEmpty()
          && !waiting.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + total;
      }
      return true;
    }
    return false;
  }

  private void containers() {
    restarts = 0;
    lastRestart = null;
    boolean running = false;
    JsonNode statuses = pod.at("/status/containerStatuses");
    // Last to first, so that the first container's reason is the one shown.
    for (int i = statuses.size() - 1; i >= 0; i--) {
      JsonNode s = statuses.get(i);
      countRestarts(s);
      JsonNode terminated = s.at("/state/terminated");
      String waitingReason = s.at("/state/waiting/reason").asText("");
      if (!waitingReason.isEmpty()) {
        reason = waitingReason;
      } else if (!terminated.isMissingNode() && !terminated.path("reason").asText("").isEmpty()) {
        reason = terminated.path("reason").asText();
      } else if (!terminated.isMissingNode()) {
        reason = exitDescription(terminated);
      } else if (s.path("ready").asBoolean(false) && !s.at("/state/running").isMissingNode()) {
        running = true;
        readyContainers++;
      }
    }
    // A container that completed while another still runs does not make the pod Completed.
    if (reason.equals("Completed") && running) {
      reason = hasCondition("Ready", "True", null) ? "Running" : "NotReady";
    }
  }

  private void countRestarts(JsonNode status) {
    restarts += status.path("restartCount").asInt(0);
    String finished = status.at("/lastState/terminated/finishedAt").asText("");
    if (!finished.isEmpty()) {
      try {
        Instant at = Instant.parse(finished);
        if (lastRestart == null || at.isAfter(lastRestart)) {
          lastRestart = at;
        }
      } catch (DateTimeParseException e) {
        // An unreadable time only loses the "(5m ago)".
      }
    }
  }

  private static String exitDescription(JsonNode terminated) {
    int signal = terminated.path("signal").asInt(0);
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asInt(0);
  }

  /** An init container with restartPolicy Always runs beside the others for the pod's life. */
  private boolean isSidecar(String name) {
    for (JsonNode c : pod.at("/spec/initContainers")) {
      if (c.path("name").asText().equals(name)) {
        return c.path("restartPolicy").asText("").equals("Always");
      }
    }
    return false;
  }

  private boolean isTerminalPhase() {
    String phase = pod.at("/status/phase").asText("");
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  private boolean hasCondition(String type, String status, String conditionReason) {
    for (JsonNode c : pod.at("/status/conditions")) {
      if (c.path("type").asText().equals(type) && c.path("status").asText().equals(status)
          && (conditionReason == null || c.path("reason").asText().equals(conditionReason))) {
        return true;
      }
    }
    return false;
  }
}
