package io.berth.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.chaos.history.StoreEvent;
import io.berth.chaos.history.WatchDelivery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchCheckerTest {
  private static final List<StoreEvent> STORE = List.of(new StoreEvent(10, "watch/a", 1L),
      new StoreEvent(11, "watch/b", 2L), new StoreEvent(12, "watch/a", null), new StoreEvent(13, "watch/b", 3L));

  private static WatchDelivery got(int watcher, String replica, StoreEvent event) {
    return new WatchDelivery(watcher, replica, event, event.revision());
  }

  private static List<WatchDelivery> everythingTo(int watcher) {
    List<WatchDelivery> all = new ArrayList<>();
    for (StoreEvent event : STORE) {
      all.add(got(watcher, "n1", event));
    }
    return all;
  }

  @Test
  void watchersThatSawTheWholeHistoryInOrderAreValid() {
    List<WatchDelivery> deliveries = new ArrayList<>(everythingTo(0));
    // watcher 1 resumed on n2 half way: no gap, no duplicate
    deliveries.add(got(1, "n1", STORE.get(0)));
    deliveries.add(got(1, "n1", STORE.get(1)));
    deliveries.add(got(1, "n2", STORE.get(2)));
    deliveries.add(got(1, "n2", STORE.get(3)));
    Verdict verdict = WatchChecker.check(deliveries, STORE, "watch/");
    assertThat(verdict.validity()).isEqualTo(Validity.VALID);
    assertThat(verdict.checked()).isEqualTo(8);
  }

  @Test
  void aWatcherThatStartsLateIsJudgedFromItsFirstEvent() {
    List<WatchDelivery> late = List.of(got(0, "n3", STORE.get(2)), got(0, "n3", STORE.get(3)));
    assertThat(WatchChecker.check(late, STORE, "watch/").validity()).isEqualTo(Validity.VALID);
  }

  @Test
  void duplicateDeliveryAfterAResumeIsCaught() {
    List<WatchDelivery> deliveries = new ArrayList<>(everythingTo(0));
    deliveries.add(2, got(0, "n2", STORE.get(1)));
    Verdict verdict = WatchChecker.check(deliveries, STORE, "watch/");
    assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
    assertThat(verdict.anomalies()).anyMatch(a -> a.contains("watcher 0 (on n2)") && a.contains("delivered twice"));
  }

  @Test
  void reorderedEventsAreCaught() {
    List<WatchDelivery> deliveries = new ArrayList<>(everythingTo(0));
    deliveries.set(1, got(0, "n1", STORE.get(2)));
    deliveries.set(2, got(0, "n1", STORE.get(1)));
    assertThat(WatchChecker.check(deliveries, STORE, "watch/").anomalies())
        .anyMatch(a -> a.contains("revision 11") && a.contains("out of order"));
  }

  @Test
  void gapIsCaught() {
    List<WatchDelivery> deliveries = new ArrayList<>(everythingTo(0));
    deliveries.remove(2);
    assertThat(WatchChecker.check(deliveries, STORE, "watch/").anomalies())
        .anyMatch(a -> a.contains("missed 1 events") && a.contains("revision 12"));
  }

  @Test
  void eventWithAnotherValueThanTheStoreHasIsCaught() {
    List<WatchDelivery> deliveries = new ArrayList<>(everythingTo(0));
    deliveries.set(3, got(0, "n1", new StoreEvent(13, "watch/b", 4L)));
    assertThat(WatchChecker.check(deliveries, STORE, "watch/").anomalies())
        .anyMatch(a -> a.contains("put watch/b=4") && a.contains("store has put watch/b=3"));
  }

  @Test
  void eventTheStoreNeverHadIsCaught() {
    List<WatchDelivery> deliveries = new ArrayList<>(everythingTo(0));
    deliveries.add(got(0, "n1", new StoreEvent(14, "watch/c", 9L)));
    assertThat(WatchChecker.check(deliveries, STORE, "watch/").anomalies())
        .anyMatch(a -> a.contains("revision 14") && a.contains("not in the store's history"));
  }
}
