package io.berth.chaos.checker;

import io.berth.chaos.history.StoreEvent;
import io.berth.chaos.history.WatchDelivery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The watch workload's checker, after etcd's robustness tests: each watcher, however often it
 * resumed on another replica, must have received an ordered, duplicate-free, gap-free run of
 * the store's history, every event equal to the store's own record of that revision. The
 * reference is that record, read with a fresh watch from the first revision once the run is
 * over; since every watcher must match it, they all agree with each other.
 */
public final class WatchChecker {
  private static final int MAX_PER_WATCHER = 10;

  private WatchChecker() {}

  /** An event's place in the history: a revision may hold several keys (one txn). */
  private record Position(long revision, String key) implements Comparable<Position> {
    static final Comparator<Position> ORDER = Comparator.comparingLong(Position::revision)
        .thenComparing(Position::key);

    @Override
    public int compareTo(Position other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * @param deliveries every event watchers received, in arrival order
   * @param reference the store's history under {@code prefix}, in revision order
   * @param prefix the watched prefix; deliveries outside it are ignored
   */
  public static Verdict check(List<WatchDelivery> deliveries, List<StoreEvent> reference, String prefix) {
    TreeMap<Position, StoreEvent> truth = new TreeMap<>();
    for (StoreEvent event : reference) {
      truth.put(new Position(event.revision(), event.key()), event);
    }
    Map<Integer, List<WatchDelivery>> byWatcher = new LinkedHashMap<>();
    for (WatchDelivery delivery : deliveries) {
      if (delivery.event().key().startsWith(prefix)) {
        byWatcher.computeIfAbsent(delivery.watcher(), w -> new ArrayList<>()).add(delivery);
      }
    }
    List<String> anomalies = new ArrayList<>();
    long checked = 0;
    for (Map.Entry<Integer, List<WatchDelivery>> entry : byWatcher.entrySet()) {
      List<String> found = checkWatcher(entry.getKey(), entry.getValue(), truth);
      checked += entry.getValue().size();
      anomalies.addAll(found.stream().limit(MAX_PER_WATCHER).toList());
      if (found.size() > MAX_PER_WATCHER) {
        anomalies.add("watcher " + entry.getKey() + ": " + (found.size() - MAX_PER_WATCHER) + " more anomalies");
      }
    }
    if (byWatcher.isEmpty() && !reference.isEmpty()) {
      anomalies.add("no watcher received any event, though the store holds " + reference.size());
    }
    String note = byWatcher.size() + " watchers, " + reference.size() + " events in the store's history";
    return new Verdict("watch", anomalies.isEmpty() ? Validity.VALID : Validity.INVALID, checked, anomalies, note);
  }

  private static List<String> checkWatcher(int watcher, List<WatchDelivery> received,
      TreeMap<Position, StoreEvent> truth) {
    List<String> anomalies = new ArrayList<>();
    Map<Position, WatchDelivery> seen = new HashMap<>();
    Position last = null;
    for (WatchDelivery delivery : received) {
      StoreEvent event = delivery.event();
      Position at = new Position(event.revision(), event.key());
      String where = "watcher " + watcher + " (on " + delivery.replica() + ")";
      if (seen.containsKey(at)) {
        anomalies.add(where + ": revision " + at.revision() + " " + at.key() + " delivered twice (first on "
            + seen.get(at).replica() + ")");
        continue;
      }
      if (last != null && at.compareTo(last) < 0) {
        anomalies.add(where + ": revision " + at.revision() + " " + at.key() + " arrived after revision "
            + last.revision() + ": out of order");
      }
      seen.put(at, delivery);
      last = last == null || at.compareTo(last) > 0 ? at : last;
      StoreEvent expected = truth.get(at);
      if (expected == null) {
        anomalies.add(where + ": revision " + at.revision() + " " + describe(event)
            + " is not in the store's history");
      } else if (!Objects.equals(expected.value(), event.value())) {
        anomalies.add(where + ": revision " + at.revision() + " delivered as " + describe(event) + " but the store has "
            + describe(expected));
      }
    }
    if (seen.isEmpty()) {
      anomalies.add("watcher " + watcher + " received nothing");
      return anomalies;
    }
    Position first = seen.keySet().stream().min(Position.ORDER).orElseThrow();
    List<Position> missed = new ArrayList<>();
    for (Position expected : truth.subMap(first, true, last, true).keySet()) {
      if (!seen.containsKey(expected)) {
        missed.add(expected);
      }
    }
    if (!missed.isEmpty()) {
      anomalies.add("watcher " + watcher + ": missed " + missed.size() + " events between revisions "
          + first.revision() + " and " + last.revision() + ", first at revision " + missed.get(0).revision()
          + " (" + missed.get(0).key() + ")");
    }
    return anomalies;
  }

  private static String describe(StoreEvent event) {
    return event.isDelete() ? "delete " + event.key() : "put " + event.key() + "=" + event.value();
  }
}
