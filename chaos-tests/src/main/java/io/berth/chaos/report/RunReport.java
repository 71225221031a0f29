package io.berth.chaos.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.chaos.checker.Verdict;
import io.berth.chaos.history.Fault;
import io.berth.chaos.history.History;
import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import io.berth.chaos.history.WatchDelivery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes a run's results folder: the history ({@code history.jsonl}, one operation per line),
 * the fault timeline ({@code faults.jsonl}), what watchers received ({@code watch.jsonl}), each
 * checker's verdict ({@code verdict-NAME.txt}), the latency plot ({@code latency.svg}) and the
 * summary ({@code summary.txt}: settings, operations by outcome, faults, verdicts, measured
 * availability per nemesis), which it also returns.
 */
public final class RunReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ANOMALIES_IN_SUMMARY = 20;

  private RunReport() {}

  public static String write(Path dir, History history, List<Verdict> verdicts, Map<String, String> info) {
    List<Operation> operations = history.operations();
    List<Fault> faults = history.faults();
    long runEnd = Math.max(history.now(), operations.stream().mapToLong(Operation::completeNanos).max().orElse(0));
    try {
      Files.createDirectories(dir);
      writeLines(dir.resolve("history.jsonl"), operations, RunReport::operationJson);
      writeLines(dir.resolve("faults.jsonl"), faults, RunReport::faultJson);
      writeLines(dir.resolve("watch.jsonl"), history.deliveries(), RunReport::deliveryJson);
      for (Verdict verdict : verdicts) {
        Files.writeString(dir.resolve("verdict-" + verdict.checker() + ".txt"), verdict.render());
      }
      Files.writeString(dir.resolve("latency.svg"), LatencyPlot.svg(operations, faults, runEnd));
      String summary = summary(info, operations, faults, verdicts, runEnd);
      Files.writeString(dir.resolve("summary.txt"), summary);
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("writing the report into " + dir, e);
    }
  }

  static String summary(Map<String, String> info, List<Operation> operations, List<Fault> faults,
      List<Verdict> verdicts, long runEnd) {
    StringBuilder text = new StringBuilder("Berth chaos run\n\n");
    info.forEach((key, value) -> text.append(String.format(Locale.ROOT, "%-14s %s%n", key + ":", value)));

    text.append("\nOperations (").append(operations.size()).append(")\n");
    text.append(String.format(Locale.ROOT, "%-16s %9s %9s %9s%n", "", "ok", "failed", "unknown"));
    Map<String, long[]> byKind = new TreeMap<>();
    for (Operation op : operations) {
      byKind.computeIfAbsent(op.f(), f -> new long[3])[op.outcome().ordinal()]++;
    }
    byKind.forEach((f, counts) -> text.append(String.format(Locale.ROOT, "%-16s %9d %9d %9d%n", f,
        counts[Outcome.OK.ordinal()], counts[Outcome.FAIL.ordinal()], counts[Outcome.INFO.ordinal()])));

    text.append("\nFaults (").append(faults.size()).append(")\n");
    Map<String, double[]> byNemesis = new TreeMap<>();
    for (Fault fault : faults) {
      double[] tally = byNemesis.computeIfAbsent(fault.nemesis(), n -> new double[2]);
      tally[0]++;
      tally[1] += (Math.min(fault.endNanos(), runEnd) - fault.startNanos()) / 1e9;
    }
    byNemesis.forEach((nemesis, tally) -> text.append(String.format(Locale.ROOT, "%-22s %3d faults, %6.1f s%n",
        nemesis, (int) tally[0], tally[1])));

    text.append("\nVerdicts\n");
    for (Verdict verdict : verdicts) {
      text.append(String.format(Locale.ROOT, "%-18s %-8s %8d checked%s%n", verdict.checker(), verdict.validity(),
          verdict.checked(), verdict.note().isEmpty() ? "" : "  (" + verdict.note() + ")"));
      verdict.anomalies().stream().limit(ANOMALIES_IN_SUMMARY)
          .forEach(a -> text.append("    - ").append(a.replace("\n", "\n      ")).append('\n'));
      if (verdict.anomalies().size() > ANOMALIES_IN_SUMMARY) {
        text.append("    ... ").append(verdict.anomalies().size() - ANOMALIES_IN_SUMMARY)
            .append(" more in verdict-").append(verdict.checker()).append(".txt\n");
      }
    }
    long anomalies = verdicts.stream().filter(v -> !v.isValid()).count();
    text.append(anomalies == 0 ? "=> no anomaly found\n" : "=> " + anomalies + " checkers found anomalies\n");

    text.append("\nMeasured availability (writes: write, cas, add, watch-put/delete, Deployment scale/roll; reads: linearizable reads)\n");
    text.append(Availability.table(Availability.measure(operations, faults, runEnd)));
    return text.toString();
  }

  private static <T> void writeLines(Path file, List<T> items, Function<T, Map<String, Object>> toJson)
      throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      for (T item : items) {
        out.write(JSON.writeValueAsString(toJson.apply(item)));
        out.newLine();
      }
    }
  }

  private static Map<String, Object> operationJson(Operation op) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", op.id());
    json.put("process", op.process());
    json.put("replica", op.replica());
    json.put("f", op.f());
    json.put("key", op.key());
    json.put("value", op.value());
    json.put("expected", op.expected());
    json.put("outcome", op.outcome().name().toLowerCase(Locale.ROOT));
    json.put("invoke_s", op.invokeNanos() / 1e9);
    json.put("complete_s", op.completeNanos() / 1e9);
    json.put("error", op.error());
    return json;
  }

  private static Map<String, Object> faultJson(Fault fault) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("nemesis", fault.nemesis());
    json.put("description", fault.description());
    json.put("targets", fault.targets());
    json.put("start_s", fault.startNanos() / 1e9);
    json.put("end_s", fault.endNanos() == Long.MAX_VALUE ? null : fault.endNanos() / 1e9);
    return json;
  }

  private static Map<String, Object> deliveryJson(WatchDelivery delivery) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("watcher", delivery.watcher());
    json.put("replica", delivery.replica());
    json.put("revision", delivery.event().revision());
    json.put("key", delivery.event().key());
    json.put("value", delivery.event().value());
    json.put("at_s", delivery.atNanos() / 1e9);
    return json;
  }
}
