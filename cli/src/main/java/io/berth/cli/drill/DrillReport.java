package io.berth.cli.drill;

import java.io.PrintStream;
import java.time.Duration;

/** The report a drill ends with: one aligned row per finding, and whether its promises were kept. */
final class DrillReport {
  private final PrintStream out;

  DrillReport(PrintStream out, String title) {
    this.out = out;
    out.println();
    out.println("drill report: " + title);
  }

  void row(String what, String value) {
    out.printf("  %-34s %s%n", what, value);
  }

  /** The rows every drill has: what its load saw, and whether the replicas converged after. */
  void loadAndConvergence(StoreWorkload load, long lostWrites, long convergedAfterMs, Duration settle) {
    row("longest stretch without a write", load.writes().longestMillis() + " ms (" + load.writes().failures()
        + " failed attempts)");
    row("longest stretch without a read", load.reads().longestMillis() + " ms (" + load.reads().failures()
        + " failed attempts)");
    row("acknowledged writes", Integer.toString(load.acknowledgedCount()));
    row("acknowledged writes lost", Long.toString(lostWrites));
    row("replicas converged", convergedAfterMs >= 0 ? "yes, " + convergedAfterMs + " ms after the load stopped"
        : "NO within " + settle);
  }

  /** The last row; the drill's exit code. */
  int verdict(boolean kept) {
    row("promises kept", kept ? "yes" : "NO");
    return kept ? 0 : 1;
  }
}
