package io.berth.cli.drill;

import io.berth.cli.UserError;
import io.berth.cli.member.ClusterTarget;
import io.berth.election.Election;
import io.berth.election.ElectionSettings;
import io.berth.election.Leader;
import io.berth.election.StoreEndpoints;
import io.berth.store.tls.StoreTls;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth drill}: a failure rehearsed on a local cluster ({@code --dir}) or on any cluster
 * ({@code --endpoints} and the operator's {@code --on-*} commands, {@link RemoteControl}). Under a small write and read
 * load of its own it injects the fault, heals it, and reports what an operator needs for a
 * postmortem: time to a new leader, the longest stretch without a successful write or read,
 * whether every acknowledged write survived, and whether the replicas converged. Exit 1 when
 * a write was lost or the cluster did not converge.
 *
 * <pre>
 *   kill-store-leader         SIGKILL the Raft leader's process; restart it after --fault-duration
 *   kill-controller-leader    the same for the replica leading the controllers (their election in the store)
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
    description = "Rehearse a failure on a local cluster (--dir) or a real one (--endpoints and --on-* commands) "
        + "under a write load of its own, heal it, and report.")
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

  @Mixin
  ClusterTarget target;

  @Option(names = "--on-kill", paramLabel = "COMMAND",
      description = "With --endpoints: kills a server at once (SIGKILL), e.g. 'ssh {host} sudo systemctl kill "
          + "--signal=SIGKILL berth-server'. {name}, {host} and {endpoint} are the member's name, client host and "
          + "host:port.")
  String onKill;

  @Option(names = "--on-stop", paramLabel = "COMMAND",
      description = "With --endpoints: stops a server cleanly and returns once it is gone (restart, rolling-restart).")
  String onStop;

  @Option(names = "--on-start", paramLabel = "COMMAND",
      description = "With --endpoints: starts a killed or stopped server again on its data.")
  String onStart;

  @Option(names = "--on-pause", paramLabel = "COMMAND", description = "With --endpoints: freezes a server (SIGSTOP).")
  String onPause;

  @Option(names = "--on-resume", paramLabel = "COMMAND", description = "With --endpoints: thaws it (SIGCONT).")
  String onResume;

  @Option(names = "--on-partition", paramLabel = "COMMAND",
      description = "With --endpoints: cuts a server off from its Raft peers, both ways (its clients still reach it).")
  String onPartition;

  @Option(names = "--on-heal", paramLabel = "COMMAND", description = "With --endpoints: undoes --on-partition.")
  String onHeal;

  @Option(names = "--command-timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "With --endpoints: how long each --on-* command may take (default: ${DEFAULT-VALUE}).")
  Duration commandTimeout;

  @Option(names = "--fault-duration", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long the fault lasts before it is healed (default: ${DEFAULT-VALUE}).")
  Duration faultDuration;

  @Option(names = "--settle", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long the healed cluster may take to converge (default: ${DEFAULT-VALUE}).")
  Duration settle;

  private final PrintStream out = System.out;
  private StoreTls tls;
  private List<String> endpoints;

  @Override
  public Integer call() throws Exception {
    Kind kind = Kind.parse(drill);
    endpoints = target.endpoints();
    tls = target.tls();
    try (ServerControl control = control(kind)) {
      if (kind == Kind.ROLLING_RESTART) {
        return rollingRestart(control);
      }
      return drill(kind, control);
    }
  }

  /** The servers' control: a local cluster's processes, or the operator's commands for any cluster. */
  private ServerControl control(Kind kind) throws Exception {
    List<String> onFlags = java.util.Arrays.asList(onKill, onStop, onStart, onPause, onResume, onPartition, onHeal);
    if (target.local()) {
      if (onFlags.stream().anyMatch(java.util.Objects::nonNull)) {
        throw new UserError("--on-kill, --on-start and the other --on-* commands go with --endpoints; with --dir the "
            + "local cluster's processes are signalled directly");
      }
      return new LocalControl(target.dir(), out);
    }
    Map<String, String> commands = new HashMap<>();
    String[] actions = {"kill", "stop", "start", "pause", "resume", "partition", "heal"};
    for (int i = 0; i < actions.length; i++) {
      if (onFlags.get(i) != null && !onFlags.get(i).isBlank()) {
        commands.put(actions[i], onFlags.get(i));
      }
    }
    RemoteControl remote = new RemoteControl(endpoints, tls, commands, commandTimeout, out);
    switch (kind) {
      case PAUSE -> remote.require(kind.flag, "pause", "resume");
      case PARTITION -> remote.require(kind.flag, "partition", "heal");
      case RESTART, ROLLING_RESTART -> remote.require(kind.flag, "stop", "start");
      default -> remote.require(kind.flag, "kill", "start");
    }
    return remote;
  }

  private int drill(Kind kind, ServerControl control) throws Exception {
    List<DrillServer> servers = control.servers();
    DrillServer victim = target(kind, servers);
    Optional<Long> storeLeaderBefore = storeLeader(endpoints);
    Optional<Long> victimMember = memberIdOf(victim);

    out.printf("drill %s on %s: a writer and a reader on the store, 3 s of baseline first%n", kind.flag,
        control.where());
    try (StoreWorkload load = new StoreWorkload(endpoints, tls)) {
      Thread.sleep(3000);
      Instant injected = Instant.now();
      long start = System.nanoTime();
      String action = action(kind);
      String how = control.describe(action, victim);
      inject(kind, victim, control);
      out.printf("  %s: %s%n", injected, how);

      String newLeader = awaitNewLeader(kind, victim, storeLeaderBefore, victimMember);
      long toLeaderMs = (System.nanoTime() - start) / 1_000_000;
      out.printf("  new leader: %s after %d ms%n", newLeader, toLeaderMs);

      long healAt = start + faultDuration.toNanos();
      while (System.nanoTime() < healAt) {
        Thread.sleep(100);
      }
      heal(kind, victim, control);
      long healedMs = (System.nanoTime() - start) / 1_000_000;
      out.printf("  healed after %d ms%n", healedMs);
      Thread.sleep(2000);                                  // the healed process back under load
      load.stop();
      long convergedAt = awaitConverged();
      boolean converged = convergedAt >= 0;
      long lost = load.lostWrites();

      out.println();
      out.printf("drill report: %s (%s)%n", kind.flag, victim.name());
      row("fault injected", injected + ": " + how);
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
  private int rollingRestart(ServerControl control) throws Exception {
    List<DrillServer> order = new ArrayList<>(control.servers());
    Optional<Long> leader = storeLeader(endpoints);
    order.sort(java.util.Comparator.comparing(s -> leader.isPresent() && memberIdOf(s).equals(leader) ? 1 : 0));
    out.printf("drill rolling-restart on %s: a writer and a reader on the store, 3 s of baseline first; order %s%n",
        control.where(), order.stream().map(DrillServer::name).toList());
    try (StoreWorkload load = new StoreWorkload(endpoints, tls)) {
      Thread.sleep(3000);
      Instant began = Instant.now();
      List<String> steps = new ArrayList<>();
      boolean allBack = true;
      for (DrillServer server : order) {
        long start = System.nanoTime();
        control.stop(server);
        control.start(server);
        long caughtUp = awaitCaughtUp(server);
        long ms = (System.nanoTime() - start) / 1_000_000;
        String step = caughtUp >= 0 ? "back and caught up " + ms + " ms after the stop began"
            : "NOT caught up within " + settle;
        out.printf("  %s: %s%n", server.name(), step);
        steps.add(step);
        if (caughtUp < 0) {
          allBack = false;
          break;
        }
      }
      Thread.sleep(2000);
      load.stop();
      long convergedAt = awaitConverged();
      boolean converged = convergedAt >= 0;
      long lost = load.lostWrites();

      out.println();
      out.println("drill report: rolling-restart");
      row("began", began.toString());
      for (int i = 0; i < steps.size(); i++) {
        row("restarted " + order.get(i).name(), steps.get(i));
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
  private long awaitCaughtUp(DrillServer server) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settle.toNanos();
    long goal = -1;
    while (System.nanoTime() < deadline) {
      if (goal < 0) {
        goal = endpoints.stream().map(this::status).flatMap(Optional::stream)
            .filter(st -> st.getLeader() != 0 && st.getLeader() == st.getHeader().getMemberId())
            .mapToLong(StatusResponse::getRaftAppliedIndex).findFirst().orElse(-1);
      }
      Optional<StatusResponse> own = status(server.clientEndpoint());
      if (goal >= 0 && own.isPresent() && own.get().getLeader() != 0 && own.get().getRaftAppliedIndex() >= goal) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(100);
    }
    return -1;
  }

  private void row(String what, String value) {
    out.printf("  %-34s %s%n", what, value);
  }

  private DrillServer target(Kind kind, List<DrillServer> servers) {
    List<String> names = servers.stream().map(DrillServer::name).toList();
    switch (kind) {
      case PAUSE, PARTITION, RESTART -> {
        if (name == null) {
          throw new UserError("drill " + kind.flag + " needs the NAME of a server, one of " + names);
        }
        return servers.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
            new UserError("no server named " + name + "; one of " + names));
      }
      case KILL_STORE_LEADER -> {
        long leader = storeLeader(endpoints).orElseThrow(() ->
            new UserError("the store has no leader now; nothing to drill"));
        return servers.stream().filter(s -> memberIdOf(s).equals(Optional.of(leader))).findFirst().orElseThrow(() ->
            new UserError("the store leader " + Long.toHexString(leader) + " is not one of " + names));
      }
      default -> {
        String holder = componentLeader(component(kind), endpoints, null)
            .orElseThrow(() -> new UserError("nobody leads " + component(kind) + " now"));
        return servers.stream().filter(s -> s.name().equals(holder)).findFirst().orElseThrow(() ->
            new UserError(component(kind) + " is led by " + holder + ", which is not one of " + names));
      }
    }
  }

  private static String component(Kind kind) {
    return kind == Kind.KILL_SCHEDULER_LEADER ? "berth-scheduler" : "berth-controller-manager";
  }

  private static String action(Kind kind) {
    return switch (kind) {
      case PAUSE -> "pause";
      case PARTITION -> "partition";
      case RESTART -> "stop";
      default -> "kill";
    };
  }

  private static void inject(Kind kind, DrillServer victim, ServerControl control) throws Exception {
    switch (kind) {
      case PAUSE -> control.pause(victim);
      case PARTITION -> control.partition(victim);
      case RESTART -> control.stop(victim);
      default -> control.kill(victim);
    }
  }

  private static void heal(Kind kind, DrillServer victim, ServerControl control) throws Exception {
    switch (kind) {
      case PAUSE -> control.resume(victim);
      case PARTITION -> control.heal(victim);
      default -> control.start(victim);
    }
  }

  /** The new leader of what the drill took away, or null when there is none within the fault. */
  private String awaitNewLeader(Kind kind, DrillServer victim, Optional<Long> storeLeaderBefore,
      Optional<Long> victimMember) throws Exception {
    long deadline = System.nanoTime() + faultDuration.toNanos();
    boolean storeLeaderHit = storeLeaderBefore.isPresent() && victimMember.equals(storeLeaderBefore);
    List<String> others = endpoints.stream().filter(e -> !e.equals(victim.clientEndpoint())).toList();
    while (System.nanoTime() < deadline) {
      if (kind == Kind.KILL_CONTROLLER_LEADER || kind == Kind.KILL_SCHEDULER_LEADER) {
        Optional<String> holder = componentLeader(component(kind), others, victim.name());
        if (holder.isPresent()) {
          return holder.get() + " leads " + component(kind);
        }
      } else if (!storeLeaderHit) {
        return "unchanged (" + victim.name() + " did not lead the store)";
      } else {
        Optional<Long> leader = storeLeader(others);
        if (leader.isPresent() && !leader.equals(storeLeaderBefore)) {
          return "store member " + Long.toHexString(leader.get());
        }
      }
      Thread.sleep(50);
    }
    return null;
  }

  /** Milliseconds until every replica answered with one leader and the same revision, or -1. */
  private long awaitConverged() throws InterruptedException {
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

  private Optional<Long> memberIdOf(DrillServer server) {
    return status(server.clientEndpoint()).map(s -> s.getHeader().getMemberId());
  }

  private Optional<Long> storeLeader(List<String> asked) {
    for (String endpoint : asked) {
      Optional<StatusResponse> status = status(endpoint);
      if (status.isPresent() && status.get().getLeader() != 0) {
        return Optional.of(status.get().getLeader());
      }
    }
    return Optional.empty();
  }

  private Optional<StatusResponse> status(String endpoint) {
    ManagedChannel channel = StoreTls.channel(endpoint, tls);
    try {
      return Optional.of(MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance()));
    } catch (RuntimeException e) {
      return Optional.empty();
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Who leads {@code component}'s election, read from the store (as the kube-system Lease mirrors
   * it, but without needing the Kubernetes API or its credentials), other than {@code except}.
   */
  private Optional<String> componentLeader(String component, List<String> asked, String except) {
    StoreEndpoints store = new StoreEndpoints(asked, Duration.ofSeconds(1), endpoint -> StoreTls.channel(endpoint, tls));
    try {
      return new Election(store, ElectionSettings.defaults(), component).leader().map(Leader::identity)
          .filter(identity -> !identity.equals(except));
    } catch (RuntimeException e) {
      return Optional.empty();     // no replica answered within the call: failing over
    } finally {
      store.close();
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
