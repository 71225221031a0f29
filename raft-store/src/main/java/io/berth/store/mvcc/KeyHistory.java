package io.berth.store.mvcc;

import io.etcd.jetcd.api.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Every retained version of one key, oldest first. A deletion appends a
 * tombstone: a KeyValue with version 0 whose mod_revision is the deletion's
 * revision. A key's life between a creation and its tombstone is a generation.
 *
 * <pre>
 *   put a@2, put a@3, delete a@4, put a@6        versions: [2 v1, 3 v2, 4 tomb, 6 v1]
 *   at(3) = a@3 (version 2);  at(5) = absent;  at(6) = a@6 (version 1, created 6)
 *   compact(5)  keeps what reads at 5 and later need:          [6 v1]
 *   compact(3)  instead would keep a@3, which a read at 3 sees,
 *               and a@2, the prev_kv of the event at 3:        [2 v1, 3 v2, 4 tomb, 6 v1]
 *   compact(4)  keeps the deletion at 4 and its prev_kv:       [3 v2, 4 tomb, 6 v1]
 * </pre>
 *
 * A watch may still start at the compaction revision, so the change made at
 * that revision stays, with the version before it: a snapshot then rebuilds
 * the same events (prev_kv included) as the replica that took it.
 */
final class KeyHistory {
  private final ArrayList<KeyValue> versions = new ArrayList<>(2);

  static boolean isTombstone(KeyValue kv) {
    return kv.getVersion() == 0;
  }

  void append(KeyValue version) {
    versions.add(version);
  }

  /** The newest version, tombstone or not; null if there is none. */
  KeyValue newest() {
    return versions.isEmpty() ? null : versions.get(versions.size() - 1);
  }

  /** The live version a read at {@code revision} sees, or null if the key did not exist then. */
  KeyValue at(long revision) {
    int i = indexAt(revision);
    if (i < 0) {
      return null;
    }
    KeyValue kv = versions.get(i);
    return isTombstone(kv) ? null : kv;
  }

  /** Index of the newest version with mod_revision <= revision, or -1. */
  private int indexAt(long revision) {
    int lo = 0;
    int hi = versions.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (versions.get(mid).getModRevision() <= revision) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Drops the versions no read or watch at {@code revision} or later can see, and
   * returns them so the caller can account for the space freed.
   */
  List<KeyValue> compact(long revision) {
    int keepFrom = indexAt(revision);
    if (keepFrom < 0) {
      return List.of();
    }
    if (versions.get(keepFrom).getModRevision() == revision) {
      keepFrom = Math.max(0, keepFrom - 1); // the event at the compaction revision keeps its prev_kv
    } else if (isTombstone(versions.get(keepFrom))) {
      keepFrom++; // a tombstone before the compaction point is no longer needed
    }
    List<KeyValue> dropped = new ArrayList<>(versions.subList(0, keepFrom));
    versions.subList(0, keepFrom).clear();
    return dropped;
  }

  boolean isEmpty() {
    return versions.isEmpty();
  }

  List<KeyValue> versions() {
    return versions;
  }
}
