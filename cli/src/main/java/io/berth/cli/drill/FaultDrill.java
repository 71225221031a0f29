package io.berth.cli.drill;

import io.berth.cli.UserError;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One fault under load: a kill of a leader's process, a pause, a partition or a restart of one
 * server. It injects the fault, waits for a new leader of what it took away, heals the fault
 * after the fault duration, and reports the time to a new leader, the longest stretches without
 * a write and a read, whether every acknowledged write survived and whether the replicas
 * converged.
 */
final class FaultDrill {
  private final DrillKind kind;
  private final String name;
  private final ServerControl control;
  private final ClusterProbe probe;
  private final Duration faultDuration;
  private final Duration settle;
  private final PrintStream out;

  /** @param name the server a pause, partition or restart is for (null for the kills) */
  FaultDrill(DrillKind kind, String name, ServerControl control, ClusterProbe probe, Duration faultDuration,
      Duration settle, PrintStream out) {
    this.kind = kind;
    this.name = name;
    this.control = control;
    this.probe = probe;
    this.faultDuration = faultDuration;
    this.settle = settle;
    this.out = out;
  }

  int run() throws Exception {
    DrillServer victim = victim(control.servers());
    Optional<Long> storeLeaderBefore = probe.storeLeader();
    Optional<Long> victimMember = probe.memberIdOf(victim);

    out.printf("drill %s on %s: a writer and a reader on the store, 3 s of baseline first%n", kind.flag,
        control.where());
    try (StoreWorkload load = new StoreWorkload(probe.endpoints(), probe.tls())) {
      Thread.sleep(3000);
      Instant injected = Instant.now();
      long start = System.nanoTime();
      String how = control.describe(action(), victim);
      inject(victim);
      out.printf("  %s: %s%n", injected, how);

      String newLeader = awaitNewLeader(victim, storeLeaderBefore, victimMember);
      long toLeaderMs = (System.nanoTime() - start) / 1_000_000;
      out.printf("  new leader: %s after %d ms%n", newLeader, toLeaderMs);

      long healAt = start + faultDuration.toNanos();
      while (System.nanoTime() < healAt) {
        Thread.sleep(100);
      }
      heal(victim);
      long healedMs = (System.nanoTime() - start) / 1_000_000;
      out.printf("  healed after %d ms%n", healedMs);
      Thread.sleep(2000);                                  // the healed process back under load
      load.stop();
      long convergedAt = probe.awaitConverged(settle);
      long lost = load.lostWrites();

      DrillReport report = new DrillReport(out, kind.flag + " (" + victim.name() + ")");
      report.row("fault injected", injected + ": " + how);
      report.row("fault lasted", healedMs + " ms (until healed and ready again)");
      report.row("time to a new leader", newLeader == null ? "none within the fault"
          : newLeader.startsWith("unchanged") ? newLeader : toLeaderMs + " ms (" + newLeader + ")");
      report.loadAndConvergence(load, lost, convergedAt, settle);
      return report.verdict(lost == 0 && convergedAt >= 0);
    }
  }

  private DrillServer victim(List<DrillServer> servers) {
    List<String> names = servers.stream().map(DrillServer::name).toList();
    if (kind.needsName()) {
      if (name == null) {
        throw new UserError("drill " + kind.flag + " needs the NAME of a server, one of " + names);
      }
      return servers.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
          new UserError("no server named " + name + "; one of " + names));
    }
    if (kind == DrillKind.KILL_STORE_LEADER) {
      long leader = probe.storeLeader().orElseThrow(() ->
          new UserError("the store has no leader now; nothing to drill"));
      return servers.stream().filter(s -> probe.memberIdOf(s).equals(Optional.of(leader))).findFirst()
          .orElseThrow(() -> new UserError("the store leader " + Long.toHexString(leader) + " is not one of " + names));
    }
    String holder = probe.componentLeader(kind.component(), probe.endpoints(), null)
        .orElseThrow(() -> new UserError("nobody leads " + kind.component() + " now"));
    return servers.stream().filter(s -> s.name().equals(holder)).findFirst().orElseThrow(() ->
        new UserError(kind.component() + " is led by " + holder + ", which is not one of " + names));
  }

  private String action() {
    return switch (kind) {
      case PAUSE -> "pause";
      case PARTITION -> "partition";
      case RESTART -> "stop";
      default -> "kill";
    };
  }

  private void inject(DrillServer victim) throws Exception {
    switch (kind) {
      case PAUSE -> control.pause(victim);
      case PARTITION -> control.partition(victim);
      case RESTART -> control.stop(victim);
      default -> control.kill(victim);
    }
  }

  private void heal(DrillServer victim) throws Exception {
    switch (kind) {
      case PAUSE -> control.resume(victim);
      case PARTITION -> control.heal(victim);
      default -> control.start(victim);
    }
  }

  /** The new leader of what the drill took away, or null when there is none within the fault. */
  private String awaitNewLeader(DrillServer victim, Optional<Long> storeLeaderBefore, Optional<Long> victimMember)
      throws InterruptedException {
    long deadline = System.nanoTime() + faultDuration.toNanos();
    boolean storeLeaderHit = storeLeaderBefore.isPresent() && victimMember.equals(storeLeaderBefore);
    List<String> others = probe.endpoints().stream().filter(e -> !e.equals(victim.clientEndpoint())).toList();
    while (System.nanoTime() < deadline) {
      if (kind.killsAComponentLeader()) {
        Optional<String> holder = probe.componentLeader(kind.component(), others, victim.name());
        if (holder.isPresent()) {
          return holder.get() + " leads " + kind.component();
        }
      } else if (!storeLeaderHit) {
        return "unchanged (" + victim.name() + " did not lead the store)";
      } else {
        Optional<Long> leader = probe.storeLeader(others);
        if (leader.isPresent() && !leader.equals(storeLeaderBefore)) {
          return "store member " + Long.toHexString(leader.get());
        }
      }
      Thread.sleep(50);
    }
    return null;
  }
}
