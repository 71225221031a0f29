package io.berth.cli.drill;

import io.berth.cli.UserError;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.LocalProcess;
import io.berth.cli.local.ServerProcesses;
import io.berth.cli.local.StatusCommand;
import io.berth.cli.local.UpCommand;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth drill}: a failure rehearsed on a local cluster. Under a small write and read
 * load of its own it injects the fault, heals it, and reports what an operator needs for a
 * postmortem: time to a new leader, the longest stretch without a successful write or read,
 * whether every acknowledged write survived, and whether the replicas converged. Exit 1 when
 * a write was lost or the cluster did not converge.
 *
 * <pre>
 *   kill-store-leader         SIGKILL the Raft leader's process; restart it after --fault-duration
 *   kill-controller-leader    the same for the replica leading the controllers (its kube-system Lease)
 *   kill-scheduler-leader     the same for the replica leading the scheduler
 *   pause NAME                SIGSTOP NAME for --fault-duration, then SIGCONT
 *   partition NAME            cut NAME off from its Raft peers, both ways, for --fault-duration, then heal
 *                             ({@link NetworkPartition}: iptables rules and a cgroup; needs root)
 *   restart NAME              stop NAME (SIGTERM) and start it again
 *   rolling-restart           restart every server in turn, followers first and the store leader last,
 *                             each back and caught up with the leader before the next (an upgrade's motions)
 * </pre>
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = "Rehearse a failure on a local cluster under a write load of its own, heal it, and report.")
public final class DrillCommand implements Callable<Integer> {
  enum Kind {
    KILL_STORE_LEADER("kill-store-leader"), KILL_CONTROLLER_LEADER("kill-controller-leader"),
    KILL_SCHEDULER_LEADER("kill-scheduler-leader"), PAUSE("pause"), PARTITION("partition"), RESTART("restart"),
    ROLLING_RESTART("rolling-restart");

    final String flag;

    Kind(String flag) {
      this.flag = flag;
    }

    static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.flag.equals(text)) {
          return kind;
        }
      }
      throw new UserError("unknown drill '" + text + "'; one of kill-store-leader, kill-controller-leader, "
          + "kill-scheduler-leader, pause NAME, partition NAME, restart NAME, rolling-restart");
    }
  }

  @Parameters(index = "0", paramLabel = "DRILL",
      description = "kill-store-leader, kill-controller-leader, kill-scheduler-leader, pause NAME, partition NAME, "
          + "restart NAME, rolling-restart")
  String drill;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The server to pause, partition or restart.")
  String name;

  @Option(names = "--dir", required = true, description = "The local cluster's directory (as given to 'berth up').")
  Path dir;

  @Option(names = "--fault-duration", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long the fault lasts before it is healed (default: ${DEFAULT-VALUE}).")
  Duration faultDuration;

  @Option(names = "--settle", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long the healed cluster may take to converge (default: ${DEFAULT-VALUE}).")
  Duration settle;

  private final PrintStream out = System.out;
  /** The partition in force during a partition drill, healed in {@link #heal}. */
  private NetworkPartition partition;

  @Override
  public Integer call() throws Exception {
    Kind kind = Kind.parse(drill);
    dir = dir.toAbsolutePath().normalize();
    ClusterFile cluster = ClusterFile.read(dir);
    List<ClusterFile.ProcessEntry> servers = cluster.withRole(ServerProcesses.ROLE);
    for (ClusterFile.ProcessEntry server : servers) {
      if (!LocalProcess.isAlive(server.pid, ServerProcesses.marker(server))) {
        throw new UserError(server.name + " is not running; start the cluster with 'berth up --dir " + dir + "' first");
      }
    }
    List<String> endpoints = StatusCommand.endpointsOf(dir);
    if (kind == Kind.ROLLING_RESTART) {
      return rollingRestart(servers, endpoints);
    }
    ClusterFile.ProcessEntry target = target(kind, cluster, servers);
    if (kind == Kind.PARTITION) {
      NetworkPartition.checkAvailable();
    }
    Optional<Long> storeLeaderBefore = storeLeader(endpoints);
    Optional<Long> targetMember = memberIdOf(target);

    out.printf("drill %s on %s: a writer and a reader on the store, 3 s of baseline first%n", kind.flag, dir);
    try (StoreWorkload load = new StoreWorkload(endpoints);
        AutoCloseable healPartition = () -> {
          if (partition != null) {
            partition.close();     // a failed drill never leaves the server cut off (a no-op once healed)
          }
        }) {
      Thread.sleep(3000);
      Instant injected = Instant.now();
      long start = System.nanoTime();
      inject(kind, target, servers);
      out.printf("  %s: %s %s (pid %d)%n", injected, describe(kind), target.name, target.pid);

      String newLeader = awaitNewLeader(kind, target, endpoints, storeLeaderBefore, targetMember, servers);
      long toLeaderMs = (System.nanoTime() - start) / 1_000_000;
      out.printf("  new leader: %s after %d ms%n", newLeader, toLeaderMs);

      long healAt = start + faultDuration.toNanos();
      while (System.nanoTime() < healAt) {
        Thread.sleep(100);
      }
      heal(kind, target);
      long healedMs = (System.nanoTime() - start) / 1_000_000;
      out.printf("  healed after %d ms%n", healedMs);
      Thread.sleep(2000);                                  // the healed process back under load
      load.stop();
      long convergedAt = awaitConverged(endpoints);
      boolean converged = convergedAt >= 0;
      long lost = load.lostWrites();

      out.println();
      out.printf("drill report: %s (%s)%n", kind.flag, target.name);
      row("fault injected", injected.toString());
      row("fault lasted", healedMs + " ms (until healed and ready again)");
      row("time to a new leader", newLeader == null ? "none within the fault"
          : newLeader.startsWith("unchanged") ? newLeader : toLeaderMs + " ms (" + newLeader + ")");
      row("longest stretch without a write", load.writes().longestMillis() + " ms (" + load.writes().failures()
          + " failed attempts)");
      row("longest stretch without a read", load.reads().longestMillis() + " ms (" + load.reads().failures()
          + " failed attempts)");
      row("acknowledged writes", Integer.toString(load.acknowledgedCount()));
      row("acknowledged writes lost", Long.toString(lost));
      row("replicas converged", converged ? "yes, " + convergedAt + " ms after the load stopped"
          : "NO within " + settle);
      boolean kept = lost == 0 && converged;
      row("promises kept", kept ? "yes" : "NO");
      return kept ? 0 : 1;
    }
  }

  /**
   * Restarts every server in turn under the load, followers first and the store leader last (one
   * leader change in all), waiting for each to be back and caught up before the next: what an
   * upgrade does (docs/upgrades.md), rehearsed without changing the release.
   */
  private int rollingRestart(List<ClusterFile.ProcessEntry> servers, List<String> endpoints) throws Exception {
    List<ClusterFile.ProcessEntry> order = new ArrayList<>(servers);
    Optional<Long> leader = storeLeader(endpoints);
    order.sort(java.util.Comparator.comparing(s -> leader.isPresent() && memberIdOf(s).equals(leader) ? 1 : 0));
    out.printf("drill rolling-restart on %s: a writer and a reader on the store, 3 s of baseline first; order %s%n",
        dir, order.stream().map(s -> s.name).toList());
    try (StoreWorkload load = new StoreWorkload(endpoints)) {
      Thread.sleep(3000);
      Instant began = Instant.now();
      List<String> steps = new ArrayList<>();
      boolean allBack = true;
      for (ClusterFile.ProcessEntry server : order) {
        long start = System.nanoTime();
        LocalProcess.stop(server.pid, ServerProcesses.marker(server), Duration.ofSeconds(15));
        heal(Kind.RESTART, server);
        long caughtUp = awaitCaughtUp(server, endpoints);
        long ms = (System.nanoTime() - start) / 1_000_000;
        String step = caughtUp >= 0 ? "back and caught up " + ms + " ms after SIGTERM" : "NOT caught up within " + settle;
        out.printf("  %s: %s%n", server.name, step);
        steps.add(step);
        if (caughtUp < 0) {
          allBack = false;
          break;
        }
      }
      Thread.sleep(2000);
      load.stop();
      long convergedAt = awaitConverged(endpoints);
      boolean converged = convergedAt >= 0;
      long lost = load.lostWrites();

      out.println();
      out.println("drill report: rolling-restart");
      row("began", began.toString());
      for (int i = 0; i < steps.size(); i++) {
        row("restarted " + order.get(i).name, steps.get(i));
      }
      row("longest stretch without a write", load.writes().longestMillis() + " ms (" + load.writes().failures()
          + " failed attempts)");
      row("longest stretch without a read", load.reads().longestMillis() + " ms (" + load.reads().failures()
          + " failed attempts)");
      row("acknowledged writes", Integer.toString(load.acknowledgedCount()));
      row("acknowledged writes lost", Long.toString(lost));
      row("replicas converged", converged ? "yes, " + convergedAt + " ms after the load stopped"
          : "NO within " + settle);
      boolean kept = lost == 0 && converged && allBack;
      row("promises kept", kept ? "yes" : "NO");
      return kept ? 0 : 1;
    }
  }

  /**
   * Milliseconds until the restarted server knows a leader and has applied everything the leader
   * had applied when the wait began (under load the leader keeps moving on), or -1.
   */
  private long awaitCaughtUp(ClusterFile.ProcessEntry server, List<String> endpoints) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settle.toNanos();
    long target = -1;
    while (System.nanoTime() < deadline) {
      if (target < 0) {
        target = endpoints.stream().map(DrillCommand::status).flatMap(Optional::stream)
            .filter(st -> st.getLeader() != 0 && st.getLeader() == st.getHeader().getMemberId())
            .mapToLong(StatusResponse::getRaftAppliedIndex).findFirst().orElse(-1);
      }
      Optional<StatusResponse> own = status("127.0.0.1:" + server.port("client"));
      if (target >= 0 && own.isPresent() && own.get().getLeader() != 0 && own.get().getRaftAppliedIndex() >= target) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(100);
    }
    return -1;
  }

  private void row(String what, String value) {
    out.printf("  %-34s %s%n", what, value);
  }

  private ClusterFile.ProcessEntry target(Kind kind, ClusterFile cluster, List<ClusterFile.ProcessEntry> servers)
      throws Exception {
    switch (kind) {
      case PAUSE, PARTITION, RESTART -> {
        if (name == null) {
          throw new UserError("drill " + kind.flag + " needs the NAME of a process, one of "
              + servers.stream().map(s -> s.name).toList());
        }
        return servers.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow(() ->
            new UserError("no server named " + name + " in " + dir + "; one of " + servers.stream().map(s -> s.name).toList()));
      }
      case KILL_STORE_LEADER -> {
        long leader = storeLeader(StatusCommand.endpointsOf(dir)).orElseThrow(() ->
            new UserError("the store has no leader now; nothing to drill"));
        return servers.stream().filter(s -> memberIdOf(s).equals(Optional.of(leader))).findFirst().orElseThrow(() ->
            new UserError("the store leader " + Long.toHexString(leader) + " is not a process of " + dir));
      }
      default -> {
        String holder = leaseHolder(servers, component(kind), null)
            .orElseThrow(() -> new UserError("nobody holds the " + component(kind) + " Lease now"));
        return servers.stream().filter(s -> s.name.equals(holder)).findFirst().orElseThrow();
      }
    }
  }

  private static String component(Kind kind) {
    return kind == Kind.KILL_SCHEDULER_LEADER ? "berth-scheduler" : "berth-controller-manager";
  }

  private static String describe(Kind kind) {
    return switch (kind) {
      case PAUSE -> "SIGSTOP";
      case PARTITION -> "cut off from its Raft peers (iptables)";
      case RESTART -> "SIGTERM (restart)";
      default -> "SIGKILL";
    };
  }

  private void inject(Kind kind, ClusterFile.ProcessEntry target, List<ClusterFile.ProcessEntry> servers)
      throws Exception {
    switch (kind) {
      case PAUSE -> signal("STOP", target.pid);
      case PARTITION -> partition = NetworkPartition.cut(target.pid, target.port("peer"),
          servers.stream().filter(s -> s != target).map(s -> s.port("peer")).toList(), out);
      case RESTART -> LocalProcess.stop(target.pid, ServerProcesses.marker(target), Duration.ofSeconds(15));
      default -> ProcessHandle.of(target.pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private void heal(Kind kind, ClusterFile.ProcessEntry target) throws Exception {
    if (kind == Kind.PAUSE) {
      signal("CONT", target.pid);
      return;
    }
    if (kind == Kind.PARTITION) {
      partition.heal();
      return;
    }
    int code = new CommandLine(new UpCommand()).execute("--dir", dir.toString(), "--detach");
    if (code != 0) {
      throw new UserError("restarting " + target.name + " with 'berth up --dir " + dir + "' failed (exit " + code + ")");
    }
  }

  /** The new leader of what the drill took away, or null when there is none within the fault. */
  private String awaitNewLeader(Kind kind, ClusterFile.ProcessEntry target, List<String> endpoints,
      Optional<Long> storeLeaderBefore, Optional<Long> targetMember, List<ClusterFile.ProcessEntry> servers)
      throws Exception {
    long deadline = System.nanoTime() + faultDuration.toNanos();
    boolean storeLeaderHit = storeLeaderBefore.isPresent() && targetMember.equals(storeLeaderBefore);
    while (System.nanoTime() < deadline) {
      if (kind == Kind.KILL_CONTROLLER_LEADER || kind == Kind.KILL_SCHEDULER_LEADER) {
        Optional<String> holder = leaseHolder(servers, component(kind), target.name);
        if (holder.isPresent()) {
          return holder.get() + " holds " + component(kind);
        }
      } else if (!storeLeaderHit) {
        return "unchanged (" + target.name + " did not lead the store)";
      } else {
        Optional<Long> leader = storeLeader(endpoints.stream().filter(e -> !e.endsWith(":" + target.port("client")))
            .toList());
        if (leader.isPresent() && !leader.equals(storeLeaderBefore)) {
          return "store member " + Long.toHexString(leader.get());
        }
      }
      Thread.sleep(50);
    }
    return null;
  }

  /** Milliseconds until every replica answered with one leader and the same revision, or -1. */
  private long awaitConverged(List<String> endpoints) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settle.toNanos();
    while (System.nanoTime() < deadline) {
      Set<Long> revisions = new HashSet<>();
      Set<Long> leaders = new HashSet<>();
      int answered = 0;
      for (String endpoint : endpoints) {
        Optional<StatusResponse> status = status(endpoint);
        if (status.isPresent()) {
          answered++;
          revisions.add(status.get().getHeader().getRevision());
          leaders.add(status.get().getLeader());
        }
      }
      if (answered == endpoints.size() && revisions.size() == 1 && leaders.size() == 1 && !leaders.contains(0L)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(200);
    }
    return -1;
  }

  private Optional<Long> memberIdOf(ClusterFile.ProcessEntry server) {
    return status("127.0.0.1:" + server.port("client")).map(s -> s.getHeader().getMemberId());
  }

  private static Optional<Long> storeLeader(List<String> endpoints) {
    for (String endpoint : endpoints) {
      Optional<StatusResponse> status = status(endpoint);
      if (status.isPresent() && status.get().getLeader() != 0) {
        return Optional.of(status.get().getLeader());
      }
    }
    return Optional.empty();
  }

  private static Optional<StatusResponse> status(String endpoint) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
    try {
      return Optional.of(MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance()));
    } catch (RuntimeException e) {
      return Optional.empty();
    } finally {
      channel.shutdownNow();
    }
  }

  /** The holder of a component's kube-system Lease, asked of every replica but {@code except}, other than it. */
  private static Optional<String> leaseHolder(List<ClusterFile.ProcessEntry> servers, String component, String except) {
    List<ClusterFile.ProcessEntry> asked = new ArrayList<>(servers);
    asked.removeIf(s -> s.name.equals(except));
    for (ClusterFile.ProcessEntry server : asked) {
      try (Client client = Client.builder().endpoints("http://127.0.0.1:" + server.port("api"))
          .callTimeout(Duration.ofSeconds(1)).build()) {
        Optional<String> holder = client.resource(Resource.LEASE).inNamespace("kube-system").get(component)
            .map(lease -> lease.getSpec().getHolderIdentity());
        if (holder.isPresent() && !holder.get().equals(except)) {
          return holder;
        }
      } catch (RuntimeException e) {
        // that replica is down or failing over: ask the next
      }
    }
    return Optional.empty();
  }

  private static void signal(String signal, long pid) throws Exception {
    int code = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    if (code != 0) {
      throw new UserError("kill -" + signal + " " + pid + " failed");
    }
  }

  /** "5s", "500ms", "1m" for the duration flags. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return io.berth.cli.server.DurationFlag.parse("a duration", value);
    }
  }
}
