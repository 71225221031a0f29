package io.berth.chaos.report;

import io.berth.chaos.history.Fault;
import io.berth.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each nemesis cost the clients, measured from the history: the longest stretch without
 * a successful write and without a successful (linearizable) read that overlaps the fault, up
 * to the moment service came back after its heal; and the time from the heal until a write and a read
 * invoked after it both succeeded ("heal to full service"). Per nemesis, the worst of its
 * faults. A baseline row measures the same gaps before the first fault, the yardstick the
 * other rows are read against.
 */
public final class Availability {
  static final Set<String> WRITES = Set.of("write", "cas", "add", "watch-put", "watch-delete", "scale", "roll");
  static final String READ = "read";

  /** Never came back within the run. */
  static final long NEVER = -1;
  /** The run had no such operations to measure by. */
  static final long NOT_MEASURED = -2;

  /**
   * One nemesis's figures in nanoseconds; {@link #NEVER} where service never came back within
   * the run, {@link #NOT_MEASURED} where the run had no such operations.
   */
  public record Row(String nemesis, int faults, long longestWithoutWrite, long longestWithoutRead,
      long healToFullService) {}

  private Availability() {}

  public static List<Row> measure(List<Operation> operations, List<Fault> faults, long runEnd) {
    long[] writes = completions(operations, true);
    long[] reads = completions(operations, false);
    long[] writeInvokes = invocationsOfSuccesses(operations, true);
    long[] readInvokes = invocationsOfSuccesses(operations, false);
    Map<String, Row> rows = new LinkedHashMap<>();
    if (!faults.isEmpty() && faults.get(0).startNanos() > 0) {
      long firstFault = faults.get(0).startNanos();
      rows.put("(no fault: baseline)", new Row("(no fault: baseline)", 0,
          writes.length == 0 ? NOT_MEASURED : longestGap(writes, 0, firstFault),
          reads.length == 0 ? NOT_MEASURED : longestGap(reads, 0, firstFault), 0));
    }
    for (Fault fault : faults) {
      long end = Math.min(fault.endNanos(), runEnd);
      long withoutWrite = writes.length == 0 ? NOT_MEASURED : gapUntilServiceBack(writes, fault.startNanos(), end);
      long withoutRead = reads.length == 0 ? NOT_MEASURED : gapUntilServiceBack(reads, fault.startNanos(), end);
      long writeBack = writes.length == 0 ? end : firstCompletionInvokedAfter(writeInvokes, writes, end);
      long readBack = reads.length == 0 ? end : firstCompletionInvokedAfter(readInvokes, reads, end);
      long recovery = writes.length + reads.length == 0 ? NOT_MEASURED
          : writeBack < 0 || readBack < 0 ? NEVER : Math.max(writeBack, readBack) - end;
      Row row = new Row(fault.nemesis(), 1, withoutWrite, withoutRead, recovery);
      rows.merge(fault.nemesis(), row, Availability::worst);
    }
    return new ArrayList<>(rows.values());
  }

  /** The rows as a table for summary.txt. */
  public static String table(List<Row> rows) {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-22s %6s %18s %18s %18s%n", "nemesis",
        "faults", "longest no write", "longest no read", "heal->full service"));
    for (Row row : rows) {
      text.append(String.format(Locale.ROOT, "%-22s %6s %18s %18s %18s%n", row.nemesis(),
          row.faults() == 0 ? "-" : Integer.toString(row.faults()), seconds(row.longestWithoutWrite()),
          seconds(row.longestWithoutRead()), row.faults() == 0 ? "-" : seconds(row.healToFullService())));
    }
    return text.toString();
  }

  private static Row worst(Row a, Row b) {
    return new Row(a.nemesis(), a.faults() + b.faults(), worse(a.longestWithoutWrite(), b.longestWithoutWrite()),
        worse(a.longestWithoutRead(), b.longestWithoutRead()), worse(a.healToFullService(), b.healToFullService()));
  }

  /** Never back is worse than any figure. */
  private static long worse(long a, long b) {
    if (a == NOT_MEASURED || b == NOT_MEASURED) {
      return NOT_MEASURED;
    }
    return a == NEVER || b == NEVER ? NEVER : Math.max(a, b);
  }

  private static long[] completions(List<Operation> operations, boolean writes) {
    return operations.stream().filter(op -> op.isOk() && (writes ? WRITES.contains(op.f()) : READ.equals(op.f())))
        .mapToLong(Operation::completeNanos).sorted().toArray();
  }

  /** Invocation times of successful operations, in completion order (paired with {@link #completions}). */
  private static long[] invocationsOfSuccesses(List<Operation> operations, boolean writes) {
    return operations.stream().filter(op -> op.isOk() && (writes ? WRITES.contains(op.f()) : READ.equals(op.f())))
        .sorted((a, b) -> Long.compare(a.completeNanos(), b.completeNanos()))
        .mapToLong(Operation::invokeNanos).toArray();
  }

  /** The longest gap between successes (and the window's edges) inside [from, to]. */
  static long longestGap(long[] successes, long from, long to) {
    long longest = 0;
    long previous = from;
    int i = firstAtOrAfter(successes, from);
    for (; i < successes.length && successes[i] <= to; i++) {
      longest = Math.max(longest, successes[i] - previous);
      previous = successes[i];
    }
    return Math.max(longest, to - previous);
  }

  /**
   * The longest gap between successive successes that overlaps the fault: from the last success
   * before it began up to the first success after its heal; {@link #NEVER} when none came back
   * before the run ended.
   */
  static long gapUntilServiceBack(long[] successes, long start, long healed) {
    long longest = 0;
    int first = firstAtOrAfter(successes, start);
    long previous = first > 0 ? successes[first - 1] : start;
    for (int i = first; i < successes.length; i++) {
      longest = Math.max(longest, successes[i] - previous);
      previous = successes[i];
      if (successes[i] >= healed) {
        return longest;
      }
    }
    return NEVER;
  }

  /** When the first success invoked at or after {@code from} completed; -1 if none. */
  private static long firstCompletionInvokedAfter(long[] invokes, long[] completes, long from) {
    long first = NEVER;
    for (int i = firstAtOrAfter(completes, from); i < completes.length; i++) {
      if (invokes[i] >= from) {
        first = completes[i];
        break;
      }
    }
    return first;
  }

  private static int firstAtOrAfter(long[] sorted, long value) {
    int i = Arrays.binarySearch(sorted, value);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && sorted[i - 1] == value) {
      i--;
    }
    return i;
  }

  static String seconds(long nanos) {
    if (nanos == NOT_MEASURED) {
      return "n/a";
    }
    return nanos == NEVER ? "never back" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
