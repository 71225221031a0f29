package io.berth.cli.drill;

import io.berth.cli.UserError;
import io.berth.cli.member.ClusterTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth drill}: a failure rehearsed on a local cluster ({@code --dir}) or on any cluster
 * ({@code --endpoints} and the operator's {@code --on-*} commands, {@link RemoteControl}). Under a small write and read
 * load of its own ({@link FaultDrill}, {@link RollingRestartDrill}) it injects the fault, heals it, and reports what an
 * operator needs for a postmortem: time to a new leader, the longest stretch without a successful write or read,
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

  @Override
  public Integer call() throws Exception {
    DrillKind kind = DrillKind.parse(drill);
    ClusterProbe probe = new ClusterProbe(target.endpoints(), target.tls());
    try (ServerControl control = control(kind, probe)) {
      if (kind == DrillKind.ROLLING_RESTART) {
        return new RollingRestartDrill(control, probe, settle, out).run();
      }
      return new FaultDrill(kind, name, control, probe, faultDuration, settle, out).run();
    }
  }

  /** The servers' control: a local cluster's processes, or the operator's commands for any cluster. */
  private ServerControl control(DrillKind kind, ClusterProbe probe) throws Exception {
    List<String> onFlags = Arrays.asList(onKill, onStop, onStart, onPause, onResume, onPartition, onHeal);
    if (target.local()) {
      if (onFlags.stream().anyMatch(Objects::nonNull)) {
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
    RemoteControl remote = new RemoteControl(probe.endpoints(), probe.tls(), commands, commandTimeout, out);
    switch (kind) {
      case PAUSE -> remote.require(kind.flag, "pause", "resume");
      case PARTITION -> remote.require(kind.flag, "partition", "heal");
      case RESTART, ROLLING_RESTART -> remote.require(kind.flag, "stop", "start");
      default -> remote.require(kind.flag, "kill", "start");
    }
    return remote;
  }

  /** "5s", "500ms", "1m" for the duration flags. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return io.berth.cli.server.DurationFlag.parse("a duration", value);
    }
  }
}
