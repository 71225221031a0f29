package io.berth.cli.drill;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Restarts every server in turn under load, followers first and the store leader last (one
 * leader change in all), waiting for each to be back and caught up before the next: what an
 * upgrade does (docs/upgrades.md), rehearsed without changing the release.
 */
final class RollingRestartDrill {
  private final ServerControl control;
  private final ClusterProbe probe;
  private final Duration settle;
  private final PrintStream out;

  RollingRestartDrill(ServerControl control, ClusterProbe probe, Duration settle, PrintStream out) {
    this.control = control;
    this.probe = probe;
    this.settle = settle;
    this.out = out;
  }

  int run() throws Exception {
    List<DrillServer> order = new ArrayList<>(control.servers());
    Optional<Long> leader = probe.storeLeader();
    order.sort(Comparator.comparing(s -> leader.isPresent() && probe.memberIdOf(s).equals(leader) ? 1 : 0));
    out.printf("drill rolling-restart on %s: a writer and a reader on the store, 3 s of baseline first; order %s%n",
        control.where(), order.stream().map(DrillServer::name).toList());
    try (StoreWorkload load = new StoreWorkload(probe.endpoints(), probe.tls())) {
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
      long convergedAt = probe.awaitConverged(settle);
      long lost = load.lostWrites();

      DrillReport report = new DrillReport(out, "rolling-restart");
      report.row("began", began.toString());
      for (int i = 0; i < steps.size(); i++) {
        report.row("restarted " + order.get(i).name(), steps.get(i));
      }
      report.loadAndConvergence(load, lost, convergedAt, settle);
      return report.verdict(lost == 0 && convergedAt >= 0 && allBack);
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
        goal = probe.leaderAppliedIndex();
      }
      var own = probe.status(server.clientEndpoint());
      if (goal >= 0 && own.isPresent() && own.get().getLeader() != 0 && own.get().getRaftAppliedIndex() >= goal) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(100);
    }
    return -1;
  }
}
