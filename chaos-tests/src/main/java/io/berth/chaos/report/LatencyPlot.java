package io.berth.chaos.report;

import io.berth.chaos.history.Fault;
import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The picture an operator looks at first: every operation's latency over the run, coloured by
 * outcome, on a logarithmic axis, with the fault windows shaded and named. Written as SVG by
 * hand: the plot is a few hundred lines of markup, and a charting library (with its font and
 * AWT dependencies) would be the largest thing in the harness.
 */
final class LatencyPlot {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 460;
  private static final int LEFT = 70;
  private static final int RIGHT = 170;
  private static final int TOP = 30;
  private static final int BOTTOM = 50;
  private static final int MAX_POINTS = 20_000;
  private static final double MIN_MS = 0.1;
  private static final Map<Outcome, String> COLOURS = new LinkedHashMap<>();

  static {
    COLOURS.put(Outcome.OK, "#2e7d32");
    COLOURS.put(Outcome.FAIL, "#c62828");
    COLOURS.put(Outcome.INFO, "#ef6c00");
  }

  private LatencyPlot() {}

  static String svg(List<Operation> operations, List<Fault> faults, long runEnd) {
    double seconds = Math.max(1, runEnd / 1e9);
    double maxMs = Math.max(10, operations.stream().mapToDouble(op -> op.latencyNanos() / 1e6).max().orElse(10));
    double topMs = Math.pow(10, Math.ceil(Math.log10(maxMs)));
    Scale x = new Scale(0, seconds, LEFT, WIDTH - RIGHT, false);
    Scale y = new Scale(MIN_MS, topMs, HEIGHT - BOTTOM, TOP, true);

    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
        WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">Operation latency over the run, "
        + "fault windows shaded</text>%n", LEFT));
    int lane = 0;
    for (Fault fault : faults) {
      double from = x.at(fault.startNanos() / 1e9);
      double to = x.at(Math.min(fault.endNanos(), runEnd) / 1e9);
      svg.append(String.format(Locale.ROOT, "<rect class=\"fault\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
          + "fill=\"#9e9e9e\" fill-opacity=\"0.22\"><title>%s: %s</title></rect>%n", from, TOP,
          Math.max(1, to - from), HEIGHT - TOP - BOTTOM, escape(fault.nemesis()), escape(fault.description())));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" fill=\"#424242\">%s</text>%n",
          from + 2, TOP + 10 + 10 * (lane++ % 3), escape(fault.nemesis())));
    }
    axes(svg, x, y, seconds, topMs);
    int stride = Math.max(1, (operations.size() + MAX_POINTS - 1) / MAX_POINTS);
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      // Thinned evenly when there are too many; failures and indeterminate ones are always drawn.
      if (op.outcome() == Outcome.OK && i % stride != 0) {
        continue;
      }
      double ms = Math.max(MIN_MS, op.latencyNanos() / 1e6);
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"%s\" "
          + "fill-opacity=\"0.6\"/>%n", x.at(op.completeNanos() / 1e9), y.at(ms), COLOURS.get(op.outcome())));
    }
    legend(svg);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void axes(StringBuilder svg, Scale x, Scale y, double seconds, double topMs) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
        LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
        LEFT, TOP, LEFT, HEIGHT - BOTTOM));
    double step = niceStep(seconds / 10);
    for (double t = 0; t <= seconds + 1e-9; t += step) {
      double px = x.at(t);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, HEIGHT - BOTTOM, px,
          HEIGHT - BOTTOM + 4, px, HEIGHT - BOTTOM + 16, trim(t)));
    }
    for (double ms = MIN_MS; ms <= topMs * 1.0001; ms *= 10) {
      double py = y.at(ms);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, WIDTH - RIGHT, py, LEFT - 6,
          py + 4, ms >= 1000 ? trim(ms / 1000) + " s" : trim(ms) + " ms"));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time since the run "
        + "started (s)</text>%n", (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12));
    svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
        + "text-anchor=\"middle\">latency (log scale)</text>%n", (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2));
  }

  private static void legend(StringBuilder svg) {
    int lx = WIDTH - RIGHT + 20;
    int ly = TOP + 10;
    List<String[]> items = new ArrayList<>();
    items.add(new String[] {COLOURS.get(Outcome.OK), "ok"});
    items.add(new String[] {COLOURS.get(Outcome.FAIL), "failed"});
    items.add(new String[] {COLOURS.get(Outcome.INFO), "indeterminate"});
    for (String[] item : items) {
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, ly, item[0], lx + 10, ly + 4, item[1]));
      ly += 18;
    }
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"8\" fill=\"#9e9e9e\" "
        + "fill-opacity=\"0.4\"/><text x=\"%d\" y=\"%d\">fault window</text>%n", lx - 4, ly - 4, lx + 10, ly + 4));
  }

  private static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    for (double factor : new double[] {1, 2, 5, 10}) {
      if (factor * magnitude >= raw) {
        return factor * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Maps data values to pixels, linearly or logarithmically. */
  private record Scale(double from, double to, double pixelFrom, double pixelTo, boolean log) {
    double at(double value) {
      double f = log ? (Math.log10(value) - Math.log10(from)) / (Math.log10(to) - Math.log10(from))
          : (value - from) / (to - from);
      return pixelFrom + Math.max(0, Math.min(1, f)) * (pixelTo - pixelFrom);
    }
  }
}
