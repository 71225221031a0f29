package io.berth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The subject (Berth; the API) and the baseline (etcd; the store) side by side, one row per {@link Metric},
 * with the ratio subject/baseline and which direction is better. Either side may be absent
 * (a run against one cluster only); its column then shows "-".
 */
final class ComparisonTable {
  private static final String[] HEADER = {"workload", "unit", "", "", "", "better"};

  private final Results subject;
  private final Results baseline;
  private final List<Metric> metrics;

  /** The store benchmark's table: every row of {@link Metric#all()}. */
  ComparisonTable(Results subject, Results baseline) {
    this(subject, baseline, Metric.all());
  }

  ComparisonTable(Results subject, Results baseline, List<Metric> metrics) {
    this.subject = subject;
    this.baseline = baseline;
    this.metrics = List.copyOf(metrics);
  }

  String text() {
    List<String[]> rows = rows();
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int i = 0; i < row.length; i++) {
        String cell = i >= 2 && i <= 4 ? pad(row[i], width[i], true) : pad(row[i], width[i], false);
        out.append(cell).append(i == row.length - 1 ? "\n" : "  ");
      }
      if (r == 0) {
        out.append("-".repeat(sum(width) + 2 * (width.length - 1))).append('\n');
      }
    }
    notes().forEach(n -> out.append("  * ").append(n).append('\n'));
    return out.toString();
  }

  String markdown() {
    List<String[]> rows = rows();
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
      if (r == 0) {
        out.append("|---|---|---:|---:|---:|---|\n");
      }
    }
    List<String> notes = notes();
    if (!notes.isEmpty()) {
      out.append('\n');
      notes.forEach(n -> out.append("- ").append(n).append('\n'));
    }
    return out.toString();
  }

  private List<String[]> rows() {
    String s = name(subject, "berth");
    String b = name(baseline, "etcd");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {HEADER[0], HEADER[1], s, b, s + "/" + b, HEADER[5]});
    for (Metric m : metrics) {
      double sv = subject == null ? Double.NaN : subject.get(m.id());
      double bv = baseline == null ? Double.NaN : baseline.get(m.id());
      rows.add(new String[] {
          m.label(), m.unit(), format(sv, m), format(bv, m), ratio(sv, bv),
          m.higherIsBetter() ? "higher" : "lower"});
    }
    return rows;
  }

  private List<String> notes() {
    List<String> notes = new ArrayList<>();
    if (subject != null) {
      notes.addAll(subject.notes());
    }
    if (baseline != null) {
      notes.addAll(baseline.notes());
    }
    return notes;
  }

  private static String name(Results r, String fallback) {
    return r == null ? fallback : r.target();
  }

  private static String format(double v, Metric m) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return m.higherIsBetter() ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String ratio(double subject, double baseline) {
    if (Double.isNaN(subject) || Double.isNaN(baseline) || baseline == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", subject / baseline);
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }

  private static int sum(int[] values) {
    int total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
  }
}
