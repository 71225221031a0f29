package io.berth.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/*
 * One key's versions, as in KeyHistory's javadoc:
 *
 *   put a@2, put a@3, delete a@4, put a@6      versions: [2 v1, 3 v2, 4 tomb, 6 v1]
 *
 *   at(1) absent   at(2) v1   at(3) v2   at(4), at(5) absent (tombstone)   at(6) v1 created 6
 *
 *   compact(5): [6 v1]                  a read at 5 sees nothing, the tombstone is no longer needed
 *   compact(4): [3 v2, 4 tomb, 6 v1]    the deletion at 4 stays watchable, with a@3 as its prev_kv
 *   compact(3): [2 v1, 3 v2, 4 tomb, 6 v1]  a@3 is what a read at 3 sees; a@2 is the prev_kv of its event
 */
class KeyHistoryTest {
  private final KeyHistory history = new KeyHistory();

  private static KeyValue version(long modRevision, long version, long createRevision) {
    return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("a")).setValue(ByteString.copyFromUtf8("v" + modRevision))
        .setModRevision(modRevision).setVersion(version).setCreateRevision(createRevision).build();
  }

  private static KeyValue tombstone(long modRevision) {
    return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("a")).setModRevision(modRevision).build();
  }

  @BeforeEach
  void workedExample() {
    history.append(version(2, 1, 2));
    history.append(version(3, 2, 2));
    history.append(tombstone(4));
    history.append(version(6, 1, 6));
  }

  @Test
  void readAtARevisionSeesTheNewestVersionNotAfterIt() {
    assertThat(history.at(1)).isNull();
    assertThat(history.at(2).getVersion()).isEqualTo(1);
    assertThat(history.at(3).getVersion()).isEqualTo(2);
    assertThat(history.at(4)).isNull();
    assertThat(history.at(5)).isNull();
    assertThat(history.at(6).getCreateRevision()).isEqualTo(6);
    assertThat(history.at(Long.MAX_VALUE).getModRevision()).isEqualTo(6);
  }

  @Test
  void newestIncludesTombstones() {
    KeyHistory deleted = new KeyHistory();
    deleted.append(version(2, 1, 2));
    deleted.append(tombstone(3));

    assertThat(KeyHistory.isTombstone(deleted.newest())).isTrue();
    assertThat(new KeyHistory().newest()).isNull();
  }

  @Test
  void compactionAfterAGenerationEndedDropsTheWholeGeneration() {
    assertThat(history.compact(5)).extracting(KeyValue::getModRevision).containsExactly(2L, 3L, 4L);
    assertThat(history.versions()).extracting(KeyValue::getModRevision).containsExactly(6L);
    assertThat(history.at(6).getVersion()).isEqualTo(1);
  }

  @Test
  void compactionAtADeletionKeepsTheTombstoneAndItsPrevKv() {
    assertThat(history.compact(4)).extracting(KeyValue::getModRevision).containsExactly(2L);
    assertThat(history.versions()).extracting(KeyValue::getModRevision).containsExactly(3L, 4L, 6L);
  }

  @Test
  void compactionInsideAGenerationKeepsTheVersionReadThereAndTheOneBeforeIt() {
    assertThat(history.compact(3)).isEmpty();
    assertThat(history.versions()).extracting(KeyValue::getModRevision).containsExactly(2L, 3L, 4L, 6L);
    assertThat(history.at(3).getVersion()).isEqualTo(2);
  }

  @Test
  void compactionBetweenChangesKeepsOnlyTheVersionReadThere() {
    KeyHistory updated = new KeyHistory();
    updated.append(version(2, 1, 2));
    updated.append(version(3, 2, 2));
    updated.append(version(7, 3, 2));

    assertThat(updated.compact(5)).extracting(KeyValue::getModRevision).containsExactly(2L);
    assertThat(updated.at(5).getVersion()).isEqualTo(2);
  }

  @Test
  void compactionBeforeTheFirstVersionDropsNothing() {
    assertThat(history.compact(1)).isEmpty();
    assertThat(history.versions()).hasSize(4);
  }

  @Test
  void compactionPastAFinalTombstoneEmptiesTheHistory() {
    KeyHistory deleted = new KeyHistory();
    deleted.append(version(2, 1, 2));
    deleted.append(tombstone(3));

    deleted.compact(4);

    assertThat(deleted.isEmpty()).isTrue();
  }
}
