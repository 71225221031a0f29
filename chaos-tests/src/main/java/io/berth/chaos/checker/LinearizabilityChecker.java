package io.berth.chaos.checker;

import io.berth.chaos.history.Operation;
import io.berth.chaos.history.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a history of register operations (read, write, compare-and-set) for linearizability:
 * is there one order of the operations, each placed at an instant between its invocation and
 * its completion, in which every read returns the latest value written and every successful
 * compare-and-set found the value it expected?
 *
 * <p>The search is Wing and Gong's, with Lowe's memoisation (as in porcupine and Knossos' "wgl"
 * checker): walk the history's invocation and completion events in time order; at an
 * invocation, try to linearize that operation now (if the register's model accepts it) and go
 * on; at a completion of an operation not yet linearized, undo the latest choice and try the
 * next. A cache of (operations linearized, register value) configurations already explored
 * cuts every path that merely reorders the same work. Keys are independent registers, so each
 * key is searched alone (P-compositionality: a history is linearizable if and only if each
 * key's sub-history is), which keeps every search small.
 *
 * <p>Outcomes, as Jepsen records them: an {@code ok} operation took effect; a {@code fail}ed one
 * certainly did not (a refused request, or a compare-and-set whose compare failed) and is left
 * out; an {@code info} (indeterminate) write or compare-and-set may have taken effect at any
 * instant after its invocation, or never, so it stays open to the end of the history; an
 * indeterminate read constrains nothing and is left out.
 *
 * <p>When a key cannot be linearized, the verdict shows where the search got furthest: the
 * operation no order could place, with the operations concurrent with it (the smallest window
 * of the history in which the contradiction lies) and the register's value at that point.
 */
public final class LinearizabilityChecker {
  private static final int WINDOW_LINES = 25;
  private static final int PREFIX_LINES = 5;

  private final Duration budget;

  /** @param budget how long the whole search may take before the verdict is "unknown" */
  public LinearizabilityChecker(Duration budget) {
    this.budget = budget;
  }

  public Verdict check(List<Operation> ops) {
    long deadline = System.nanoTime() + budget.toNanos();
    Map<String, List<Operation>> byKey = new LinkedHashMap<>();
    for (Operation op : ops) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    List<String> anomalies = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    long checked = 0;
    for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
      KeySearch search = new KeySearch(key.getKey(), key.getValue(), deadline);
      checked += search.size();
      switch (search.run()) {
        case VALID -> { }
        case INVALID -> anomalies.add(search.failureReport());
        case UNKNOWN -> undecided.add(key.getKey());
      }
    }
    Validity validity = !anomalies.isEmpty() ? Validity.INVALID
        : !undecided.isEmpty() ? Validity.UNKNOWN : Validity.VALID;
    if (!undecided.isEmpty()) {
      anomalies.add("the search ran out of its budget of " + budget.toSeconds() + " s on " + undecided);
    }
    return new Verdict("linearizability", validity, checked, anomalies,
        byKey.size() + " keys, " + ops.stream().filter(op -> op.outcome() == Outcome.INFO).count() + " indeterminate");
  }

  /** The Wing–Gong–Lowe search over one key's operations. */
  private static final class KeySearch {
    private final String key;
    private final List<Operation> ops = new ArrayList<>();
    private final long deadline;
    private final Entry head = new Entry(null, -1, false, Long.MIN_VALUE);

    // Where the search got furthest, for the failure report.
    private int bestDepth = -1;
    private Operation bestStuck;
    private Long bestValue;
    private List<Operation> bestPrefix = List.of();

    KeySearch(String key, List<Operation> all, long deadline) {
      this.key = key;
      this.deadline = deadline;
      for (Operation op : all) {
        boolean indeterminateRead = !op.isWrite() && op.outcome() == Outcome.INFO;
        if (op.outcome() != Outcome.FAIL && !indeterminateRead) {
          ops.add(op);
        }
      }
      buildEvents();
    }

    int size() {
      return ops.size();
    }

    /** The register's value is a Long, or null while the key is absent. */
    private static boolean step(Operation op, Long value, Long[] next) {
      switch (op.f()) {
        case "read" -> {
          next[0] = value;
          return Objects.equals(op.value(), value);
        }
        case "write" -> {
          next[0] = op.value();
          return true;
        }
        case "cas" -> {
          if (Objects.equals(op.expected(), value)) {
            next[0] = op.value();
            return true;
          }
          // An indeterminate compare-and-set may have found another value and done nothing.
          next[0] = value;
          return op.outcome() == Outcome.INFO;
        }
        default -> throw new IllegalArgumentException("not a register operation: " + op.f());
      }
    }

    /** One invocation or completion, in a doubly linked list that lift/unlift edit in place. */
    private static final class Entry {
      final Operation op;
      final int index;
      final boolean isCall;
      final long time;
      Entry match; // a call's completion
      Entry prev;
      Entry next;

      Entry(Operation op, int index, boolean isCall, long time) {
        this.op = op;
        this.index = index;
        this.isCall = isCall;
        this.time = time;
      }
    }

    private void buildEvents() {
      List<Entry> events = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        Operation op = ops.get(i);
        Entry call = new Entry(op, i, true, op.invokeNanos());
        long completes = op.outcome() == Outcome.INFO ? Long.MAX_VALUE : op.completeNanos();
        Entry ret = new Entry(op, i, false, completes);
        call.match = ret;
        events.add(call);
        events.add(ret);
      }
      // At equal times invocations come first: two operations that touch at an instant are
      // taken as concurrent, the weaker (safe) reading of the clock.
      events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.isCall));
      Entry last = head;
      for (Entry e : events) {
        last.next = e;
        e.prev = last;
        last = e;
      }
    }

    private static void lift(Entry call) {
      call.prev.next = call.next;
      if (call.next != null) {
        call.next.prev = call.prev;
      }
      Entry ret = call.match;
      ret.prev.next = ret.next;
      if (ret.next != null) {
        ret.next.prev = ret.prev;
      }
    }

    private static void unlift(Entry call) {
      Entry ret = call.match;
      ret.prev.next = ret;
      if (ret.next != null) {
        ret.next.prev = ret;
      }
      call.prev.next = call;
      if (call.next != null) {
        call.next.prev = call;
      }
    }

    private record Frame(Entry call, Long valueBefore) {}

    private record Configuration(BitSet linearized, Long value) {}

    Validity run() {
      BitSet linearized = new BitSet(ops.size());
      Set<Configuration> explored = new HashSet<>();
      Deque<Frame> stack = new ArrayDeque<>();
      Long value = null;
      Long[] next = new Long[1];
      Entry entry = head.next;
      long steps = 0;
      while (entry != null) {
        if ((++steps & 0x3ff) == 0 && System.nanoTime() > deadline) {
          return Validity.UNKNOWN;
        }
        if (entry.isCall) {
          if (step(entry.op, value, next)) {
            BitSet after = (BitSet) linearized.clone();
            after.set(entry.index);
            if (explored.add(new Configuration(after, next[0]))) {
              stack.push(new Frame(entry, value));
              linearized = after;
              value = next[0];
              lift(entry);
              entry = head.next;
              continue;
            }
          }
          entry = entry.next;
        } else if (entry.time == Long.MAX_VALUE) {
          // Only indeterminate operations are left: each may simply never have taken effect.
          return Validity.VALID;
        } else {
          // This operation completed, yet no order tried so far could place it: back up.
          noteStuck(stack, entry.op, value);
          if (stack.isEmpty()) {
            return Validity.INVALID;
          }
          Frame top = stack.pop();
          linearized = (BitSet) linearized.clone();
          linearized.clear(top.call.index);
          value = top.valueBefore;
          unlift(top.call);
          entry = top.call.next;
        }
      }
      return Validity.VALID;
    }

    private void noteStuck(Deque<Frame> stack, Operation stuck, Long value) {
      if (stack.size() > bestDepth) {
        bestDepth = stack.size();
        bestStuck = stuck;
        bestValue = value;
        List<Operation> prefix = new ArrayList<>();
        for (Frame frame : stack) { // the stack iterates newest first
          if (prefix.size() == PREFIX_LINES) {
            break;
          }
          prefix.add(0, frame.call.op);
        }
        bestPrefix = prefix;
      }
    }

    String failureReport() {
      Operation stuck = bestStuck;
      long from = stuck.invokeNanos();
      long to = stuck.outcome() == Outcome.INFO ? Long.MAX_VALUE : stuck.completeNanos();
      StringBuilder text = new StringBuilder();
      text.append("key ").append(key).append(": not linearizable. The search got furthest with ").append(bestDepth)
          .append(" of ").append(ops.size()).append(" operations in order, the register then holding ")
          .append(bestValue == null ? "nothing" : bestValue).append("; no order places\n    ")
          .append(describe(stuck)).append('\n');
      text.append("  last operations of that order:\n");
      for (Operation op : bestPrefix) {
        text.append("    ").append(describe(op)).append('\n');
      }
      text.append("  the window: every operation concurrent with it\n");
      int lines = 0;
      for (Operation op : ops) {
        long opEnd = op.outcome() == Outcome.INFO ? Long.MAX_VALUE : op.completeNanos();
        if (op != stuck && op.invokeNanos() <= to && opEnd >= from) {
          if (++lines > WINDOW_LINES) {
            text.append("    ...\n");
            break;
          }
          text.append("    ").append(describe(op)).append('\n');
        }
      }
      return text.toString().stripTrailing();
    }
  }

  /** One operation as a line: {@code p3 n2 write 7 [12.345 s .. 12.401 s] ok}. */
  static String describe(Operation op) {
    String what = switch (op.f()) {
      case "read" -> "read " + (op.value() == null ? "nothing" : op.value());
      case "cas" -> "cas " + op.expected() + "->" + op.value();
      default -> op.f() + " " + op.value();
    };
    String end = op.outcome() == Outcome.INFO ? "?" : seconds(op.completeNanos());
    return String.format(Locale.ROOT, "p%d %s %s [%s .. %s] %s", op.process(), op.replica(), what,
        seconds(op.invokeNanos()), end, op.outcome().name().toLowerCase(Locale.ROOT));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }
}
