package io.berth.cli.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth down}: stops every process of a local cluster; its data stays for the next
 * {@code up}, and so do the agents' pods unless {@code --delete-workloads} is given.
 */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of a local cluster.")
public final class DownCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The cluster's directory (as given to 'berth up').")
  Path dir;

  @Option(names = "--delete-workloads",
      description = "Also remove the containers (or processes) the agents ran for pods. Without it they keep running "
          + "for the next 'berth up' to adopt, as pods survive a kubelet restart.")
  boolean deleteWorkloads;

  @Override
  public Integer call() throws Exception {
    Path absolute = dir.toAbsolutePath().normalize();
    ClusterFile cluster = ClusterFile.read(absolute);
    stopAll(absolute, cluster, System.out);
    if (deleteWorkloads) {
      cluster.withRole(AgentProcesses.ROLE).forEach(agent -> AgentWorkloads.delete(agent, System.out));
    }
    return 0;
  }

  static void stopAll(Path dir, ClusterFile cluster, PrintStream out) {
    for (ClusterFile.ProcessEntry p : cluster.processes.reversed()) {
      boolean wasRunning = LocalProcess.stop(p.pid, IngressProcesses.markerOf(p), Duration.ofSeconds(15));
      out.printf("  %-10s %s%n", p.name, wasRunning ? "stopped (pid " + p.pid + ")" : "was not running");
    }
    out.printf("cluster in %s is down; its data stays there ('berth up --dir %s' starts it again)%n", dir, dir);
  }
}
