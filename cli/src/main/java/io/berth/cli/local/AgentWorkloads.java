package io.berth.cli.local;

import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.Sandbox;
import io.berth.agent.runtime.docker.DockerRuntime;
import io.berth.agent.runtime.process.ProcessRuntime;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a local cluster's agents left running. A stopped agent leaves its pods' containers (or,
 * with the process runtime, processes) in place, as a kubelet restart does, so that the next
 * {@code berth up} adopts them; {@code berth down --delete-workloads} removes them instead, for
 * a developer who wants the machine clean. Each agent's runtime finds only its own node's
 * containers by their labels, so two clusters on one engine do not touch each other's.
 */
final class AgentWorkloads {
  private AgentWorkloads() {}

  /** Removes every container and sandbox of a stopped agent; prints what it removed. */
  static void delete(ClusterFile.ProcessEntry agent, PrintStream out) {
    int containers = 0;
    int pods = 0;
    for (ContainerRuntime runtime : runtimesOf(agent)) {
      try (runtime) {
        for (ContainerInfo container : runtime.listContainers()) {
          runtime.removeContainer(container.id());
          containers++;
        }
        for (Sandbox sandbox : runtime.listSandboxes()) {
          runtime.removeSandbox(sandbox.pod().uid());
          pods++;
        }
      } catch (RuntimeException e) {
        out.printf("  %-10s could not remove its workloads from the %s runtime: %s%n", agent.name, runtime.name(),
            e.getMessage());
      }
    }
    out.printf("  %-10s removed %d containers of %d pods%n", agent.name, containers, pods);
  }

  /** The runtimes the agent may have used: the one it was given, both for "auto". */
  private static List<ContainerRuntime> runtimesOf(ClusterFile.ProcessEntry agent) {
    String runtime = agent.runtime == null ? "auto" : agent.runtime;
    List<ContainerRuntime> runtimes = new ArrayList<>();
    if (!runtime.equals("process") && DockerRuntime.reachable(DockerRuntime.DEFAULT_HOST)) {
      runtimes.add(new DockerRuntime(DockerRuntime.DEFAULT_HOST, agent.name, "none"));
    }
    Path processes = Path.of(agent.dataDir).resolve("process");
    if (!runtime.equals("docker") && Files.isDirectory(processes)) {
      runtimes.add(new ProcessRuntime(processes, agent.name));
    }
    return runtimes;
  }
}
