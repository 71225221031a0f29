package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one target measured: a value per {@link Metric} id plus free-form notes (endpoints,
 * leader placement, errors). Saved as a small tab-separated file so that each target can be
 * measured by its own process while only its own cluster is running, and compared afterwards.
 */
final class Results {
  private final String target;
  private final Map<String, Double> values = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  Results(String target) {
    this.target = target;
  }

  String target() {
    return target;
  }

  void put(String metricId, double value) {
    values.put(metricId, value);
  }

  /** The value, or NaN when this target did not measure it. */
  double get(String metricId) {
    return values.getOrDefault(metricId, Double.NaN);
  }

  void note(String note) {
    notes.add(note);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  void save(Path file) throws IOException {
    StringBuilder out = new StringBuilder("target\t").append(target).append('\n');
    values.forEach((id, v) -> out.append("value\t").append(id).append('\t').append(v).append('\n'));
    notes.forEach(n -> out.append("note\t").append(n.replace('\n', ' ').replace('\t', ' ')).append('\n'));
    Files.writeString(file, out);
  }

  static Results load(Path file) throws IOException {
    Results results = null;
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t", 3);
      switch (f[0]) {
        case "target" -> results = new Results(f[1]);
        case "value" -> results(results, file).put(f[1], Double.parseDouble(f[2]));
        case "note" -> results(results, file).note(f[1]);
        default -> throw new IOException(file + ": unexpected line: " + line);
      }
    }
    return results(results, file);
  }

  private static Results results(Results results, Path file) throws IOException {
    if (results == null) {
      throw new IOException(file + ": no target line");
    }
    return results;
  }
}
