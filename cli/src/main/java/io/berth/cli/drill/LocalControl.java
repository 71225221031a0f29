package io.berth.cli.drill;

import io.berth.cli.UserError;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.LocalProcess;
import io.berth.cli.local.ServerProcesses;
import io.berth.cli.local.UpCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The servers of a local cluster ({@code berth up --dir DIR}), reached by the process IDs in
 * its cluster.json: signals for kill, stop and pause, {@link NetworkPartition} (iptables and a
 * cgroup; root) for a partition, and {@code berth up --dir DIR --detach}, which starts what is
 * missing, to bring a server back.
 */
final class LocalControl implements ServerControl {
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final Path dir;
  private final PrintStream out;
  private final Map<String, ClusterFile.ProcessEntry> processes = new HashMap<>();
  private final Map<String, NetworkPartition> partitions = new HashMap<>();
  private final Map<String, Long> paused = new HashMap<>();
  private final List<DrillServer> servers;

  /** The running servers of the cluster in {@code dir}; a stopped one is an error the operator can fix. */
  LocalControl(Path dir, PrintStream out) throws IOException {
    this.dir = dir;
    this.out = out;
    List<ClusterFile.ProcessEntry> entries = ClusterFile.read(dir).withRole(ServerProcesses.ROLE);
    for (ClusterFile.ProcessEntry server : entries) {
      if (!LocalProcess.isAlive(server.pid, ServerProcesses.marker(server))) {
        throw new UserError(server.name + " is not running; start the cluster with 'berth up --dir " + dir + "' first");
      }
      processes.put(server.name, server);
    }
    this.servers = entries.stream().map(s -> new DrillServer(s.name, ServerProcesses.clientEndpoint(s))).toList();
  }

  @Override
  public String where() {
    return dir.toString();
  }

  @Override
  public List<DrillServer> servers() {
    return servers;
  }

  @Override
  public void kill(DrillServer server) {
    ProcessHandle.of(process(server).pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Override
  public void stop(DrillServer server) {
    ClusterFile.ProcessEntry process = process(server);
    LocalProcess.stop(process.pid, ServerProcesses.marker(process), STOP_GRACE);
  }

  @Override
  public void start(DrillServer server) throws IOException {
    int code = new CommandLine(new UpCommand()).execute("--dir", dir.toString(), "--detach");
    if (code != 0) {
      throw new UserError("restarting " + server.name() + " with 'berth up --dir " + dir + "' failed (exit " + code + ")");
    }
    // berth up wrote the new process ID into cluster.json.
    ClusterFile.read(dir).withRole(ServerProcesses.ROLE).forEach(s -> processes.put(s.name, s));
  }

  @Override
  public void pause(DrillServer server) throws Exception {
    long pid = process(server).pid;
    signal("STOP", pid);
    paused.put(server.name(), pid);
  }

  @Override
  public void resume(DrillServer server) throws Exception {
    Long pid = paused.remove(server.name());
    if (pid != null) {
      signal("CONT", pid);
    }
  }

  @Override
  public void partition(DrillServer server) throws Exception {
    NetworkPartition.checkAvailable();
    ClusterFile.ProcessEntry target = process(server);
    List<Integer> others = processes.values().stream().filter(p -> !p.name.equals(target.name))
        .map(p -> p.port("peer")).toList();
    partitions.put(server.name(), NetworkPartition.cut(target.pid, target.port("peer"), others, out));
  }

  @Override
  public void heal(DrillServer server) {
    NetworkPartition partition = partitions.remove(server.name());
    if (partition != null) {
      partition.heal();
    }
  }

  @Override
  public String describe(String action, DrillServer server) {
    long pid = process(server).pid;
    return switch (action) {
      case "kill" -> "SIGKILL " + server.name() + " (pid " + pid + ")";
      case "stop" -> "SIGTERM " + server.name() + " (pid " + pid + ")";
      case "pause" -> "SIGSTOP " + server.name() + " (pid " + pid + ")";
      case "partition" -> "cut " + server.name() + " (pid " + pid + ") off from its Raft peers (iptables)";
      default -> action + " " + server.name();
    };
  }

  @Override
  public void close() {
    for (String name : List.copyOf(paused.keySet())) {
      try {
        resume(new DrillServer(name, ""));
      } catch (Exception e) {
        out.printf("  could not resume %s: %s%n", name, e.getMessage());
      }
    }
    List.copyOf(partitions.values()).forEach(NetworkPartition::close);
    partitions.clear();
  }

  private ClusterFile.ProcessEntry process(DrillServer server) {
    ClusterFile.ProcessEntry process = processes.get(server.name());
    if (process == null) {
      throw new UserError("no server named " + server.name() + " in " + dir);
    }
    return process;
  }

  private static void signal(String signal, long pid) throws Exception {
    int code = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    if (code != 0) {
      throw new UserError("kill -" + signal + " " + pid + " failed");
    }
  }
}
