package io.berth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The watch fan-out's numbers as a small table (text and Markdown), with what was not delivered. */
final class WatchReport {
  private final WatchFanout.Sample sample;

  WatchReport(WatchFanout.Sample sample) {
    this.sample = sample;
  }

  List<String[]> rows() {
    WatchDeliveries d = sample.deliveries();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"watch fan-out, " + String.format(Locale.ROOT, "%,d", sample.watchers())
        + " watchers on one replica, " + d.rounds() + " updates", "p50", "p99", "max"});
    rows.add(new String[] {"delivery, from just before the write was sent (ms)",
        ms(d.fromSendMillis(50)), ms(d.fromSendMillis(99)), ms(d.fromSendMillis(100))});
    rows.add(new String[] {"delivery, from the write's acknowledgement (ms)",
        ms(d.fromAckMillis(50)), ms(d.fromAckMillis(99)), ms(d.fromAckMillis(100))});
    rows.add(new String[] {"the write itself, send to acknowledgement (ms)",
        ms(d.writeMillis(50)), ms(d.writeMillis(99)), ms(d.writeMillis(100))});
    return rows;
  }

  List<String> notes() {
    WatchDeliveries d = sample.deliveries();
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "received: %,d of %,d events (%d rounds x %,d watchers)",
        d.received(), d.expected(), d.rounds(), sample.watchers()));
    notes.add(String.format(Locale.ROOT, "%,d watches opened on %s in %.1f s; %d failed to open, %d ended early",
        sample.opened(), sample.replica(), sample.openTime().toMillis() / 1000.0, sample.failedToOpen(),
        sample.endedEarly()));
    notes.add(String.format(Locale.ROOT, "%,d deliveries arrived before the writer had its acknowledgement"
        + " (counted as 0 ms from it)", d.beforeAck()));
    return notes;
  }

  String text() {
    StringBuilder out = new StringBuilder();
    for (String[] row : rows()) {
      out.append(String.format(Locale.ROOT, "%-62s %9s %9s %9s%n", (Object[]) row));
    }
    notes().forEach(n -> out.append("  * ").append(n).append('\n'));
    return out.toString();
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    List<String[]> rows = rows();
    for (int r = 0; r < rows.size(); r++) {
      out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
      if (r == 0) {
        out.append("|---|---:|---:|---:|\n");
      }
    }
    out.append('\n');
    notes().forEach(n -> out.append("- ").append(n).append('\n'));
    return out.toString();
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }
}
