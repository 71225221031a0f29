package io.berth.agent.runtime;

import java.time.Instant;

/**
 * One container as the runtime has it.
 *
 * @param id the runtime's id
 * @param pod its pod (from its labels)
 * @param name its name in the pod
 * @param attempt which run of that container it is (from its labels)
 * @param state created, running or exited
 * @param exitCode when exited
 * @param reason when exited: Completed (0), Error, OOMKilled
 * @param startedAt when it started, or null
 * @param finishedAt when it exited, or null
 * @param image the image it runs
 */
public record ContainerInfo(String id, PodRef pod, String name, int attempt, State state, int exitCode,
    String reason, Instant startedAt, Instant finishedAt, String image) {

  public enum State { CREATED, RUNNING, EXITED }

  public boolean running() {
    return state == State.RUNNING;
  }

  public boolean exited() {
    return state == State.EXITED;
  }

  /** Kubernetes' terminated reason for an exit code, when the runtime gives no better one. */
  public static String reasonFor(int exitCode) {
    return exitCode == 0 ? "Completed" : "Error";
  }
}
