package io.berth.store.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.mvcc.KeyRange;
import io.berth.store.mvcc.MvccStore;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/*
 * A real MvccStore feeds the hub the way the state machine does: every
 * committed write is published with its revision, and a watcher registers
 * with the store's revisions and history, as WatchStream does under the read lock.
 */
class WatchHubTest {
  private final MvccStore store = new MvccStore();
  private final WatchHub hub = new WatchHub();
  private final Sink sink = new Sink();

  /** What a watch stream would have queued: each response with the revision of its header. */
  private static final class Sink implements WatchSink {
    final List<WatchResponse> responses = new ArrayList<>();
    final List<Long> revisions = new ArrayList<>();

    @Override
    public void send(WatchResponse.Builder response, long revision) {
      responses.add(response.build());
      revisions.add(revision);
    }

    /** For each response with events: "revision: TYPE key, ...". */
    List<String> eventLines() {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < responses.size(); i++) {
        WatchResponse r = responses.get(i);
        if (r.getEventsCount() > 0) {
          lines.add(revisions.get(i) + ": " + String.join(", ", r.getEventsList().stream()
              .map(e -> e.getType() + " " + e.getKv().getKey().toStringUtf8()).toList()));
        }
      }
      return lines;
    }
  }

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** Commits one write of puts ("k=v") and deletes ("-k"), and publishes it. */
  private void write(String... changes) {
    MvccStore.Write write = store.beginWrite();
    for (String change : changes) {
      if (change.startsWith("-")) {
        write.delete(KeyRange.single(b(change.substring(1))));
      } else {
        String[] kv = change.split("=");
        write.put(b(kv[0]), b(kv[1]), 0);
      }
    }
    List<Event> events = write.commit();
    if (!events.isEmpty()) {
      hub.publish(write.revision(), events);
    }
  }

  private Watcher watch(WatchCreateRequest.Builder request) {
    WatchCreateRequest r = request.build();
    return hub.register(7, r, store.revision(), store.compactedRevision(),
        store.eventsFrom(Math.max(r.getStartRevision(), store.compactedRevision())), sink);
  }

  private static WatchCreateRequest.Builder prefix(String prefix) {
    byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    end[end.length - 1]++;
    return WatchCreateRequest.newBuilder().setKey(b(prefix)).setRangeEnd(ByteString.copyFrom(end));
  }

  @Test
  void createdComesFirstWithTheCurrentRevision() {
    write("a=1");

    watch(WatchCreateRequest.newBuilder().setKey(b("a")));

    assertThat(sink.responses).hasSize(1);
    assertThat(sink.responses.get(0).getCreated()).isTrue();
    assertThat(sink.responses.get(0).getWatchId()).isEqualTo(7);
    assertThat(sink.revisions).containsExactly(2L);
  }

  @Test
  void startRevisionZeroSeesOnlyLaterRevisions() {
    write("a=1");
    watch(WatchCreateRequest.newBuilder().setKey(b("a")));

    write("a=2");

    assertThat(sink.eventLines()).containsExactly("3: PUT a");
  }

  @Test
  void pastStartRevisionReplaysHistoryThenDeliversLiveRevisions() {
    write("a=1"); // 2
    write("a=2"); // 3
    write("-a"); //  4
    write("b=1"); // 5, not watched

    watch(WatchCreateRequest.newBuilder().setKey(b("a")).setStartRevision(3));
    write("a=3"); // 6

    assertThat(sink.eventLines()).containsExactly("3: PUT a", "4: DELETE a", "6: PUT a");
  }

  @Test
  void replayOfTheCurrentRevisionIsFollowedByTheNextWithNoRepeat() {
    write("a=1");

    watch(WatchCreateRequest.newBuilder().setKey(b("a")).setStartRevision(2));
    hub.publish(2, store.eventsFrom(2).get(2L)); // a late duplicate must not be sent again
    write("a=2");

    assertThat(sink.eventLines()).containsExactly("2: PUT a", "3: PUT a");
  }

  @Test
  void allEventsOfOneRevisionComeInOneResponseInOrder() {
    watch(prefix("k/"));

    write("k/z=1", "other=1", "k/a=1");
    write("-k/z", "k/b=1");

    assertThat(sink.eventLines()).containsExactly("2: PUT k/z, PUT k/a", "3: DELETE k/z, PUT k/b");
    assertThat(sink.responses).filteredOn(r -> r.getEventsCount() > 0)
        .allSatisfy(r -> assertThat(r.getWatchId()).isEqualTo(7));
  }

  @Test
  void revisionWithoutMatchingEventsSendsNothing() {
    watch(prefix("k/"));

    write("other=1");

    assertThat(sink.responses).hasSize(1); // only "created"
  }

  @Test
  void zeroRangeEndWatchesEveryKeyFromKeyOn() {
    watch(WatchCreateRequest.newBuilder().setKey(b("m")).setRangeEnd(ByteString.copyFrom(new byte[] {0})));

    write("a=1", "m=1", "z=1");

    assertThat(sink.eventLines()).containsExactly("2: PUT m, PUT z");
  }

  @Test
  void noPutFilterLeavesOnlyDeletes() {
    watch(prefix("k/").addFilters(WatchCreateRequest.FilterType.NOPUT));

    write("k/a=1", "k/b=1");
    write("-k/a", "k/c=1");

    assertThat(sink.eventLines()).containsExactly("3: DELETE k/a");
  }

  @Test
  void noDeleteFilterLeavesOnlyPuts() {
    watch(prefix("k/").addFilters(WatchCreateRequest.FilterType.NODELETE));

    write("k/a=1");
    write("-k/a");

    assertThat(sink.eventLines()).containsExactly("2: PUT k/a");
  }

  @Test
  void prevKvIsStrippedUnlessAskedFor() {
    write("a=1");
    Sink withPrev = new Sink();
    hub.register(1, WatchCreateRequest.newBuilder().setKey(b("a")).setPrevKv(true).build(),
        store.revision(), 0, store.eventsFrom(0), withPrev);
    watch(WatchCreateRequest.newBuilder().setKey(b("a")));

    write("a=2");
    write("-a");

    assertThat(sink.responses.subList(1, 3)).allSatisfy(r -> assertThat(r.getEvents(0).hasPrevKv()).isFalse());
    assertThat(withPrev.responses.get(1).getEvents(0).getPrevKv().getValue()).isEqualTo(b("1"));
    assertThat(withPrev.responses.get(2).getEvents(0).getPrevKv().getValue()).isEqualTo(b("2"));
  }

  @Test
  void compactedStartGetsCreatedThenCanceledWithTheCompactRevision() {
    write("a=1");
    write("a=2");
    write("a=3");
    store.compact(3);

    Watcher watcher = watch(WatchCreateRequest.newBuilder().setKey(b("a")).setStartRevision(2));

    assertThat(watcher).isNull();
    assertThat(hub.size()).isZero();
    assertThat(sink.responses).hasSize(2);
    assertThat(sink.responses.get(0).getCreated()).isTrue();
    WatchResponse canceled = sink.responses.get(1);
    assertThat(canceled.getCanceled()).isTrue();
    assertThat(canceled.getWatchId()).isEqualTo(7);
    assertThat(canceled.getCompactRevision()).isEqualTo(3);
    assertThat(canceled.getCancelReason()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
  }

  @Test
  void startAtTheCompactionRevisionIsStillServed() {
    write("a=1"); // 2
    write("a=2", "b=1"); // 3
    write("-a"); // 4
    store.compact(3);

    watch(WatchCreateRequest.newBuilder().setKey(b("a")).setRangeEnd(b("c")).setStartRevision(3).setPrevKv(true));

    assertThat(sink.eventLines()).containsExactly("3: PUT a, PUT b", "4: DELETE a");
    assertThat(sink.responses.get(1).getEvents(0).getPrevKv().getValue()).isEqualTo(b("1"));
  }

  @Test
  void futureStartRevisionWaitsForIt() {
    write("a=1"); // 2

    watch(WatchCreateRequest.newBuilder().setKey(b("a")).setStartRevision(4));
    write("a=2"); // 3
    write("a=3"); // 4

    assertThat(sink.eventLines()).containsExactly("4: PUT a");
  }

  @Test
  void cancelStopsDelivery() {
    Watcher watcher = watch(WatchCreateRequest.newBuilder().setKey(b("a")));
    write("a=1");

    hub.cancel(watcher);
    write("a=2");

    assertThat(sink.eventLines()).containsExactly("2: PUT a");
    assertThat(hub.size()).isZero();
  }

  @Test
  void everyWatcherGetsItsOwnCopy() {
    Sink other = new Sink();
    hub.register(1, WatchCreateRequest.newBuilder().setKey(b("a")).build(), store.revision(), 0, store.eventsFrom(0),
        other);
    watch(WatchCreateRequest.newBuilder().setKey(b("a")));

    write("a=1");

    assertThat(hub.size()).isEqualTo(2);
    assertThat(sink.eventLines()).containsExactly("2: PUT a");
    assertThat(other.eventLines()).containsExactly("2: PUT a");
    assertThat(other.responses.get(1).getWatchId()).isEqualTo(1);
  }

  @Test
  void progressNoticeGoesOnlyToWatchersThatAskedForIt() {
    Sink quiet = new Sink();
    hub.register(1, WatchCreateRequest.newBuilder().setKey(b("a")).build(), store.revision(), 0, store.eventsFrom(0),
        quiet);
    watch(WatchCreateRequest.newBuilder().setKey(b("a")).setProgressNotify(true));
    write("other=1");

    hub.progress(store.revision());

    assertThat(quiet.responses).hasSize(1);
    assertThat(sink.responses).hasSize(2);
    WatchResponse notice = sink.responses.get(1);
    assertThat(notice.getEventsCount()).isZero();
    assertThat(notice.getCreated()).isFalse();
    assertThat(notice.getCanceled()).isFalse();
    assertThat(notice.getCompactRevision()).isZero();
    assertThat(sink.revisions.get(1)).isEqualTo(2);
  }

  @Test
  void canceledWatcherGetsNoProgressNotice() {
    Watcher watcher = watch(WatchCreateRequest.newBuilder().setKey(b("a")).setProgressNotify(true));

    hub.cancel(watcher);
    hub.progress(store.revision());

    assertThat(sink.responses).hasSize(1);
  }

  // ---- a state replaced by an installed snapshot ----

  @Test
  void afterASnapshotReplacesTheStateWatchersGetTheRevisionsTheySkipped() {
    write("a=1"); // 2
    watch(WatchCreateRequest.newBuilder().setKey(b("a")));
    // The replica now installs a snapshot taken at revision 4 by a leader that saw two more writes.
    MvccStore leader = new MvccStore();
    for (String value : new String[] {"1", "2", "3"}) {
      MvccStore.Write w = leader.beginWrite();
      w.put(b("a"), b(value), 0);
      w.commit();
    }

    hub.catchUp(leader.revision(), leader.compactedRevision(), leader.eventsFrom(leader.compactedRevision()));

    assertThat(sink.eventLines()).containsExactly("3: PUT a", "4: PUT a");
  }

  @Test
  void afterASnapshotWhoseHistoryIsCompactedWatchersAreCanceledWithTheCompactRevision() {
    write("a=1"); // 2
    watch(WatchCreateRequest.newBuilder().setKey(b("a")));
    MvccStore leader = new MvccStore();
    for (String value : new String[] {"1", "2", "3", "4"}) {
      MvccStore.Write w = leader.beginWrite();
      w.put(b("a"), b(value), 0);
      w.commit();
    }
    leader.compact(4);

    hub.catchUp(leader.revision(), leader.compactedRevision(), leader.eventsFrom(leader.compactedRevision()));

    WatchResponse last = sink.responses.get(sink.responses.size() - 1);
    assertThat(last.getCanceled()).isTrue();
    assertThat(last.getCompactRevision()).isEqualTo(4);
    assertThat(hub.size()).isZero();
  }
}
