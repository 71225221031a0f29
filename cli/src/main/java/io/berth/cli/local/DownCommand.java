package io.berth.cli.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth down}: stops every process of a local cluster; its data stays for the next {@code up}. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of a local cluster.")
public final class DownCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The cluster's directory (as given to 'berth up').")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Path absolute = dir.toAbsolutePath().normalize();
    stopAll(absolute, ClusterFile.read(absolute), System.out);
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
