package io.berth.chaos.checker;

import java.util.List;

/**
 * One checker's conclusion about a run.
 *
 * @param checker its name ({@code linearizability}, {@code set}, {@code watch}, ...)
 * @param validity valid, invalid or unknown
 * @param checked how many operations (or events) it looked at
 * @param anomalies what it found wrong, one entry each, for people; empty when valid
 * @param note what else it counted, in one line (may be empty)
 */
public record Verdict(String checker, Validity validity, long checked, List<String> anomalies, String note) {

  public Verdict {
    anomalies = List.copyOf(anomalies);
    note = note == null ? "" : note;
  }

  public Verdict(String checker, Validity validity, long checked, List<String> anomalies) {
    this(checker, validity, checked, anomalies, "");
  }

  public boolean isValid() {
    return validity == Validity.VALID;
  }

  /** The verdict for a file or a terminal: name, result, then each anomaly on its own lines. */
  public String render() {
    StringBuilder text = new StringBuilder();
    text.append(checker).append(": ").append(validity).append(" (").append(checked).append(" checked");
    if (!anomalies.isEmpty()) {
      text.append(", ").append(anomalies.size()).append(anomalies.size() == 1 ? " anomaly" : " anomalies");
    }
    text.append(")");
    if (!note.isEmpty()) {
      text.append(": ").append(note);
    }
    text.append('\n');
    for (String anomaly : anomalies) {
      text.append("  - ").append(anomaly.replace("\n", "\n    ")).append('\n');
    }
    return text.toString();
  }
}
