package io.berth.agent.runtime;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the agent asks of a container runtime, in the spirit of Kubernetes' CRI (DESIGN.md
 * decision 6): a pod sandbox that holds the pod's network and published ports, containers
 * created in it, and their logs and exec. Two implementations: docker (a real engine) and
 * process (host processes, for machines without one).
 *
 * <p>Ownership: everything a runtime creates carries the {@link Labels} of its pod and of the
 * agent's node, and {@link #listSandboxes()} / {@link #listContainers()} return only what
 * carries this agent's node label. So an agent restarted on the same data finds, and adopts,
 * exactly what it created, and two agents sharing one engine never touch each other's.
 *
 * <p>Errors: a call the runtime refuses throws {@link RuntimeFailure} with the runtime's own
 * message (an image pull failure says what the engine said). Implementations are thread-safe:
 * every pod's worker calls them from its own thread.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** "docker" or "process". */
  String name();

  /** The runtime and its version, as a Node's status.nodeInfo.containerRuntimeVersion: "docker://20.10.24". */
  String version();

  /** Whether {@code image} is present locally (always true for runtimes without images). */
  boolean hasImage(String image);

  /** Pulls {@code image}; throws RuntimeFailure with the engine's message when it cannot. */
  void pullImage(String image);

  /**
   * Creates and starts the pod's sandbox with its ports published on the node address, or
   * returns the running one this pod already has (same pod uid).
   */
  Sandbox runSandbox(SandboxSpec spec);

  /** Stops and removes the pod's sandbox and anything left of it (its work dir, for the process runtime). */
  void removeSandbox(String podUid);

  /** The sandboxes this agent created, running or not. */
  List<Sandbox> listSandboxes();

  /** Creates (does not start) a container in {@code sandbox}; returns its id. */
  String createContainer(Sandbox sandbox, ContainerSpec spec);

  void startContainer(String containerId);

  /**
   * Sends SIGTERM, waits up to {@code grace} for the container to exit, then SIGKILL; returns
   * when it has exited. Stopping an exited container does nothing.
   */
  void stopContainer(String containerId, Duration grace);

  /** Removes a container (stopping it at once if it still runs). Removing one that is gone does nothing. */
  void removeContainer(String containerId);

  /** The containers this agent created (every attempt it still keeps), with their current state. */
  List<ContainerInfo> listContainers();

  /** The containers of one pod (every attempt kept). */
  default List<ContainerInfo> containersOf(String podUid) {
    return listContainers().stream().filter(c -> c.pod().uid().equals(podUid)).toList();
  }

  /** One container's current state, or empty when it does not exist. */
  Optional<ContainerInfo> inspect(String containerId);

  /**
   * Writes the container's log to {@code out} as {@code options} ask; with follow, returns
   * when the container has exited or {@code out} fails (the reader went away).
   */
  void logs(String containerId, LogOptions options, OutputStream out) throws java.io.IOException;

  /** Runs {@code command} in the container, waits at most {@code timeout}, returns its output and exit code. */
  ExecResult exec(String containerId, List<String> command, Duration timeout);

  @Override
  void close();
}
