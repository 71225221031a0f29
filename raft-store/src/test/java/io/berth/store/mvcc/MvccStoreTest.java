package io.berth.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/*
 * The worked example most tests below build on (KeyHistory's javadoc draws the same):
 *
 *   revision   1        2        3        4           5        6
 *   a                   put a=1  put a=2  delete a             put a=3
 *   b                                                 put b=1
 *
 *   a's versions:  [2 v1 c2]  [3 v2 c2]  [4 tombstone]  |  [6 v1 c6]
 *                  \_______ generation 1 ____________/     \_ generation 2 (create_revision resets)
 *
 *   reads of a:  at 2 -> "1" v1;  at 3 -> "2" v2;  at 4, 5 -> absent;  at 6 -> "3" v1 created 6
 *   compact(5):  a keeps [6 v1]; reads at 5 and 6 are unchanged; reads at 2..4 fail "compacted"
 */
class MvccStoreTest {
  private final MvccStore store = new MvccStore();

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static final KeyRange ALL = KeyRange.of(b("\0"), b("\0"));

  private KeyValue put(String key, String value) {
    MvccStore.Write write = store.beginWrite();
    KeyValue kv = write.put(b(key), b(value), 0);
    write.commit();
    return kv;
  }

  private List<KeyValue> delete(String key) {
    MvccStore.Write write = store.beginWrite();
    List<KeyValue> deleted = write.delete(KeyRange.single(b(key)));
    write.commit();
    return deleted;
  }

  private static List<KeyValue> readAll(MvccStore s, long revision) {
    List<KeyValue> kvs = new ArrayList<>();
    s.scan(ALL, revision, kvs::add);
    return kvs;
  }

  private KeyValue readA(long revision) {
    List<KeyValue> kvs = new ArrayList<>();
    store.scan(KeyRange.single(b("a")), revision, kvs::add);
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  private void workedExample() {
    put("a", "1");
    put("a", "2");
    delete("a");
    put("b", "1");
    put("a", "3");
  }

  @Test
  void freshStoreIsAtRevisionOneAndEmpty() {
    assertThat(store.revision()).isEqualTo(1);
    assertThat(store.compactedRevision()).isZero();
    assertThat(readAll(store, 1)).isEmpty();
    assertThat(store.sizeBytes()).isZero();
  }

  @Test
  void firstWriteMakesRevisionTwo() {
    KeyValue a = put("a", "1");

    assertThat(store.revision()).isEqualTo(2);
    assertThat(a.getCreateRevision()).isEqualTo(2);
    assertThat(a.getModRevision()).isEqualTo(2);
    assertThat(a.getVersion()).isEqualTo(1);
  }

  @Test
  void allKeysOfOneWriteShareOneRevision() {
    MvccStore.Write write = store.beginWrite();
    write.put(b("a"), b("1"), 0);
    write.put(b("b"), b("2"), 0);
    List<Event> events = write.commit();

    assertThat(store.revision()).isEqualTo(2);
    assertThat(events).extracting(e -> e.getKv().getModRevision()).containsExactly(2L, 2L);
    assertThat(readAll(store, 2)).extracting(KeyValue::getModRevision).containsExactly(2L, 2L);
  }

  @Test
  void writeThatChangesNothingDoesNotAdvanceRevision() {
    MvccStore.Write write = store.beginWrite();

    assertThat(write.changedAnything()).isFalse();
    assertThat(write.commit()).isEmpty();
    assertThat(store.revision()).isEqualTo(1);
    assertThat(store.eventsFrom(0)).isEmpty();
  }

  @Test
  void deleteOfMissingKeyDoesNotAdvanceRevision() {
    put("a", "1");

    assertThat(delete("missing")).isEmpty();
    assertThat(store.revision()).isEqualTo(2);
  }

  @Test
  void deleteOfRangeRemovesEveryLiveKeyInOneRevision() {
    put("a", "1");
    put("b", "1");
    put("c", "1");
    MvccStore.Write write = store.beginWrite();

    List<KeyValue> deleted = write.delete(KeyRange.of(b("a"), b("c")));
    write.commit();

    assertThat(deleted).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("a", "b");
    assertThat(store.revision()).isEqualTo(5);
    assertThat(readAll(store, 5)).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("c");
  }

  @Test
  void versionCountsPutsAndCreateRevisionResetsOnRecreate() {
    workedExample();

    assertThat(readA(3).getVersion()).isEqualTo(2);
    assertThat(readA(3).getCreateRevision()).isEqualTo(2);
    KeyValue recreated = store.get(b("a"));
    assertThat(recreated.getVersion()).isEqualTo(1);
    assertThat(recreated.getCreateRevision()).isEqualTo(6);
    assertThat(recreated.getModRevision()).isEqualTo(6);
  }

  @Test
  void readsInThePastSeeTheVersionOfThatRevision() {
    workedExample();

    assertThat(readA(1)).isNull();
    assertThat(readA(2).getValue()).isEqualTo(b("1"));
    assertThat(readA(3).getValue()).isEqualTo(b("2"));
    assertThat(readA(4)).isNull();
    assertThat(readA(5)).isNull();
    assertThat(readA(6).getValue()).isEqualTo(b("3"));
    assertThat(readAll(store, 5)).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("b");
  }

  @Test
  void getReturnsNullForDeletedKey() {
    put("a", "1");
    delete("a");

    assertThat(store.get(b("a"))).isNull();
    assertThat(store.get(b("never"))).isNull();
  }

  @Test
  void writeSeesItsOwnChangesBeforeCommitAndReadsAtCurrentRevisionDoNot() {
    put("a", "1");
    MvccStore.Write write = store.beginWrite();
    write.put(b("a"), b("2"), 0);
    write.delete(KeyRange.single(b("missing")));

    assertThat(write.revision()).isEqualTo(3);
    assertThat(write.get(b("a")).getValue()).isEqualTo(b("2"));
    assertThat(readA(store.revision()).getValue()).isEqualTo(b("1"));
    List<KeyValue> seen = new ArrayList<>();
    write.scan(KeyRange.single(b("a")), seen::add);
    assertThat(seen).extracting(KeyValue::getVersion).containsExactly(2L);
  }

  @Test
  void putKeepsLeaseOnTheVersion() {
    MvccStore.Write write = store.beginWrite();
    KeyValue kv = write.put(b("a"), b("1"), 42);
    write.commit();

    assertThat(kv.getLease()).isEqualTo(42);
    assertThat(store.get(b("a")).getLease()).isEqualTo(42);
  }

  @Test
  void readRevisionZeroMeansCurrent() {
    put("a", "1");

    assertThat(store.resolveReadRevision(0)).isEqualTo(2);
    assertThat(store.resolveReadRevision(2)).isEqualTo(2);
    assertThat(store.resolveReadRevision(1)).isEqualTo(1);
  }

  @Test
  void readOfFutureRevisionFails() {
    put("a", "1");

    assertThatThrownBy(() -> store.resolveReadRevision(3))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.OUT_OF_RANGE))
        .hasMessage("etcdserver: mvcc: required revision is a future revision");
  }

  @Test
  void compactionKeepsWhatReadsAtAndAfterTheCompactionRevisionSee() {
    workedExample();

    store.compact(5);

    assertThat(store.compactedRevision()).isEqualTo(5);
    assertThat(store.revision()).isEqualTo(6);
    assertThat(store.resolveReadRevision(5)).isEqualTo(5);
    assertThat(readAll(store, 5)).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("b");
    assertThat(readA(6).getValue()).isEqualTo(b("3"));
    assertThat(store.allVersions()).extracting(KeyValue::getModRevision).containsExactly(5L, 6L);
  }

  @Test
  void readsBeforeTheCompactionRevisionFailWithCompacted() {
    workedExample();
    store.compact(5);

    for (long revision = 1; revision < 5; revision++) {
      long r = revision;
      assertThatThrownBy(() -> store.resolveReadRevision(r))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.OUT_OF_RANGE))
          .hasMessage("etcdserver: mvcc: required revision has been compacted");
    }
  }

  @Test
  void compactionInsideAGenerationKeepsTheVersionAReadThenSees() {
    workedExample();

    store.compact(3);

    assertThat(readA(3).getValue()).isEqualTo(b("2"));
    assertThat(readA(4)).isNull();
    assertThat(readA(6).getValue()).isEqualTo(b("3"));
  }

  @Test
  void compactionDropsAKeyWhoseLastGenerationEndedBeforeIt() {
    put("gone", "1");
    delete("gone");
    put("b", "1");

    store.compact(4);

    assertThat(store.allVersions()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("b");
  }

  @Test
  void compactionAtOrBelowTheCompactedRevisionFails() {
    workedExample();
    store.compact(4);

    assertThatThrownBy(() -> store.compact(4)).hasMessage("etcdserver: mvcc: required revision has been compacted");
    assertThatThrownBy(() -> store.compact(3)).hasMessage("etcdserver: mvcc: required revision has been compacted");
    assertThat(store.compactedRevision()).isEqualTo(4);
  }

  @Test
  void compactionOfFutureRevisionFails() {
    workedExample();

    assertThatThrownBy(() -> store.compact(7)).hasMessage("etcdserver: mvcc: required revision is a future revision");
    assertThat(store.compactedRevision()).isZero();
  }

  @Test
  void compactionAtCurrentRevisionIsAllowed() {
    workedExample();

    store.compact(6);

    assertThat(readAll(store, 6)).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("a", "b");
  }

  @Test
  void sizeBytesCountsEveryRetainedVersionAndGoesDownOnCompaction() {
    long a1 = MvccStore.sizeOf(b("a"), b("1"));
    long tomb = MvccStore.sizeOf(b("a"), ByteString.EMPTY);
    workedExample();
    assertThat(store.sizeBytes()).isEqualTo(4 * a1 + tomb);

    store.compact(5);

    assertThat(store.sizeBytes()).isEqualTo(2 * a1); // b@5 and a@6
  }

  @Test
  void eventsCarryTheVersionAndThePreviousLiveVersion() {
    workedExample();

    Map<Long, List<Event>> events = store.eventsFrom(2);

    assertThat(events.keySet()).containsExactly(2L, 3L, 4L, 5L, 6L);
    Event create = events.get(2L).get(0);
    assertThat(create.getType()).isEqualTo(Event.EventType.PUT);
    assertThat(create.hasPrevKv()).isFalse();
    Event update = events.get(3L).get(0);
    assertThat(update.getKv().getVersion()).isEqualTo(2);
    assertThat(update.getPrevKv().getModRevision()).isEqualTo(2);
    Event deletion = events.get(4L).get(0);
    assertThat(deletion.getType()).isEqualTo(Event.EventType.DELETE);
    assertThat(deletion.getKv().getModRevision()).isEqualTo(4);
    assertThat(deletion.getKv().getVersion()).isZero();
    assertThat(deletion.getPrevKv().getValue()).isEqualTo(b("2"));
    assertThat(events.get(6L).get(0).hasPrevKv()).isFalse(); // a re-create has nothing before it
  }

  @Test
  void eventsFromStartsAtTheRequestedRevision() {
    workedExample();

    assertThat(store.eventsFrom(4).keySet()).containsExactly(4L, 5L, 6L);
    assertThat(store.eventsFrom(7)).isEmpty();
  }

  @Test
  void eventsOfOneRevisionKeepTheOrderOfTheWrite() {
    MvccStore.Write write = store.beginWrite();
    write.put(b("z"), b("1"), 0);
    write.put(b("a"), b("1"), 0);
    write.commit();

    assertThat(store.eventsFrom(2).get(2L)).extracting(e -> e.getKv().getKey().toStringUtf8())
        .containsExactly("z", "a");
  }

  @Test
  void compactionForgetsEventsBeforeTheCompactionRevision() {
    workedExample();

    store.compact(4);

    assertThat(store.eventsFrom(0).keySet()).containsExactly(4L, 5L, 6L);
  }

  @Test
  void allVersionsListsTombstonesInRevisionOrder() {
    workedExample();

    assertThat(store.allVersions()).extracting(KeyValue::getModRevision).containsExactly(2L, 3L, 4L, 5L, 6L);
    assertThat(store.allVersions().get(2).getVersion()).isZero();
  }

  @Test
  void restoreFromAllVersionsGivesIdenticalReadsAndEvents() {
    workedExample();

    assertRestoredCopyIsIdentical();
  }

  @Test
  void restoreAfterCompactionGivesIdenticalReadsAndEvents() {
    workedExample();
    put("b", "2");
    store.compact(5);

    assertRestoredCopyIsIdentical();
  }

  @Test
  void restoreKeepsTheChangesMadeAtTheCompactionRevisionWithTheirPrevKv() {
    put("a", "1");
    put("b", "1");
    MvccStore.Write write = store.beginWrite(); // revision 4: an update and a deletion
    write.put(b("a"), b("2"), 0);
    write.delete(KeyRange.single(b("b")));
    write.commit();
    put("c", "1");
    store.compact(4);

    assertThat(store.eventsFrom(4).get(4L)).allSatisfy(e -> assertThat(e.hasPrevKv()).isTrue());
    assertRestoredCopyIsIdentical();
  }

  @Test
  void restoreKeepsTheOrderOfEventsWithinARevision() {
    MvccStore.Write write = store.beginWrite();
    write.put(b("z"), b("1"), 0);
    write.put(b("a"), b("1"), 0);
    write.commit();

    assertRestoredCopyIsIdentical();
  }

  private void assertRestoredCopyIsIdentical() {
    MvccStore copy = MvccStore.restore(store.revision(), store.compactedRevision(), store.allVersions());

    assertThat(copy.revision()).isEqualTo(store.revision());
    assertThat(copy.compactedRevision()).isEqualTo(store.compactedRevision());
    assertThat(copy.sizeBytes()).isEqualTo(store.sizeBytes());
    assertThat(copy.allVersions()).isEqualTo(store.allVersions());
    for (long r = Math.max(1, store.compactedRevision()); r <= store.revision(); r++) {
      assertThat(readAll(copy, r)).as("read at %d", r).isEqualTo(readAll(store, r));
    }
    assertThat(copy.eventsFrom(0)).isEqualTo(store.eventsFrom(0));
  }
}
