package io.berth.chaos.checker;

import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The set workload's checker, as Jepsen's set checker: clients add unique elements, and at
 * the end every replica reads the whole set. Then every acknowledged add must be present (else
 * it was lost), no element whose add certainly failed may be present, no element appears that
 * nobody added, none appears twice, and all replicas read the same set. An indeterminate add
 * may be present or not; the summary only counts which.
 */
public final class SetChecker {
  private static final int MAX_LISTED = 20;

  private SetChecker() {}

  /**
   * @param adds every {@code add} operation of the run, with its element as value
   * @param finalReads the elements each replica read at the end, one list per replica
   */
  public static Verdict check(List<Operation> adds, List<List<Long>> finalReads) {
    Map<Long, Outcome> outcomes = new HashMap<>();
    for (Operation add : adds) {
      outcomes.merge(add.value(), add.outcome(), SetChecker::strongest);
    }
    List<String> anomalies = new ArrayList<>();
    Set<Long> union = new TreeSet<>();
    for (int replica = 0; replica < finalReads.size(); replica++) {
      List<Long> read = finalReads.get(replica);
      Set<Long> seen = new HashSet<>();
      Set<Long> duplicated = new TreeSet<>();
      for (Long element : read) {
        if (!seen.add(element)) {
          duplicated.add(element);
        }
      }
      union.addAll(seen);
      report(anomalies, "read " + replica + ": duplicated", duplicated);
      Set<Long> lost = new TreeSet<>();
      outcomes.forEach((element, outcome) -> {
        if (outcome == Outcome.OK && !seen.contains(element)) {
          lost.add(element);
        }
      });
      report(anomalies, "read " + replica + ": lost (acknowledged, missing)", lost);
      if (replica > 0 && !seen.equals(new HashSet<>(finalReads.get(0)))) {
        Set<Long> onlyHere = new TreeSet<>(seen);
        onlyHere.removeAll(finalReads.get(0));
        Set<Long> onlyFirst = new TreeSet<>(finalReads.get(0));
        onlyFirst.removeAll(seen);
        anomalies.add("read " + replica + " disagrees with read 0: only here " + sample(onlyHere)
            + ", only in read 0 " + sample(onlyFirst));
      }
    }
    Set<Long> failedPresent = new TreeSet<>();
    Set<Long> neverAdded = new TreeSet<>();
    for (Long element : union) {
      Outcome outcome = outcomes.get(element);
      if (outcome == null) {
        neverAdded.add(element);
      } else if (outcome == Outcome.FAIL) {
        failedPresent.add(element);
      }
    }
    report(anomalies, "present although the add failed", failedPresent);
    report(anomalies, "present although never added", neverAdded);

    long indeterminate = outcomes.values().stream().filter(o -> o == Outcome.INFO).count();
    long indeterminatePresent = outcomes.entrySet().stream()
        .filter(e -> e.getValue() == Outcome.INFO && union.contains(e.getKey())).count();
    long acknowledged = outcomes.values().stream().filter(o -> o == Outcome.OK).count();
    String tally = acknowledged + " acknowledged adds, " + indeterminate + " indeterminate (" + indeterminatePresent
        + " of them present), " + finalReads.size() + " final reads of " + union.size() + " elements";
    return new Verdict("set", anomalies.isEmpty() ? Validity.VALID : Validity.INVALID, adds.size(), anomalies, tally);
  }

  /** An element added more than once keeps the outcome that constrains most: ok over info over fail. */
  private static Outcome strongest(Outcome a, Outcome b) {
    if (a == Outcome.OK || b == Outcome.OK) {
      return Outcome.OK;
    }
    return a == Outcome.INFO || b == Outcome.INFO ? Outcome.INFO : Outcome.FAIL;
  }

  private static void report(List<String> anomalies, String what, Set<Long> elements) {
    if (!elements.isEmpty()) {
      anomalies.add(what + ": " + elements.size() + " elements " + sample(elements));
    }
  }

  private static String sample(Set<Long> elements) {
    List<Long> first = elements.stream().limit(MAX_LISTED).toList();
    return first + (elements.size() > MAX_LISTED ? " ..." : "");
  }
}
