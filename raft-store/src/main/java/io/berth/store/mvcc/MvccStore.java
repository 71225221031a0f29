package io.berth.store.mvcc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The multi-version key-value state, held in memory (the Raft log and snapshots
 * make it durable). One global revision counts write transactions: a fresh store
 * is at revision 1, and every write that changes something moves it up by one,
 * shared by all the keys it touches. Each key keeps create_revision,
 * mod_revision and version, and its older versions until a compaction.
 *
 * <p>Not thread-safe: the state machine serialises writes and guards reads.
 */
public final class MvccStore {
  /** Rough per-version overhead beyond key and value, for the size quota and Status.dbSize. */
  private static final long VERSION_OVERHEAD_BYTES = 48;

  private final NavigableMap<ByteString, KeyHistory> keys = new TreeMap<>(KeyRange.ORDER);
  private final NavigableMap<Long, List<Event>> eventsByRevision = new TreeMap<>();
  private long revision = 1;
  private long compactedRevision = 0;
  private long sizeBytes = 0;

  public long revision() {
    return revision;
  }

  public long compactedRevision() {
    return compactedRevision;
  }

  /** Approximate bytes held by all retained versions. */
  public long sizeBytes() {
    return sizeBytes;
  }

  public static long sizeOf(ByteString key, ByteString value) {
    return key.size() + value.size() + VERSION_OVERHEAD_BYTES;
  }

  /** Resolves a requested read revision (0 means current) or throws etcd's errors. */
  public long resolveReadRevision(long requested) {
    if (requested <= 0) {
      return revision;
    }
    if (requested > revision) {
      throw StoreException.futureRevision();
    }
    if (requested < compactedRevision) {
      throw StoreException.compacted();
    }
    return requested;
  }

  /**
   * Visits the live versions in {@code range} as of {@code atRevision}, in key
   * order, until {@code visitor} returns false.
   */
  public void scan(KeyRange range, long atRevision, VersionVisitor visitor) {
    for (KeyHistory history : range.slice(keys).values()) {
      KeyValue kv = history.at(atRevision);
      if (kv != null && !visitor.visit(kv)) {
        return;
      }
    }
  }

  /** The live version of one key at the current revision, or null. */
  public KeyValue get(ByteString key) {
    KeyHistory history = keys.get(key);
    return history == null ? null : history.at(Long.MAX_VALUE);
  }

  /** Events of revisions >= fromRevision, in revision order. */
  public NavigableMap<Long, List<Event>> eventsFrom(long fromRevision) {
    return eventsByRevision.tailMap(fromRevision, true);
  }

  public Write beginWrite() {
    return new Write();
  }

  /**
   * Forgets versions that no read at {@code atRevision} or later can see. Reads
   * and watches from earlier revisions then fail with "compacted".
   */
  public void compact(long atRevision) {
    if (atRevision <= compactedRevision) {
      throw StoreException.compacted();
    }
    if (atRevision > revision) {
      throw StoreException.futureRevision();
    }
    Iterator<Map.Entry<ByteString, KeyHistory>> it = keys.entrySet().iterator();
    while (it.hasNext()) {
      KeyHistory history = it.next().getValue();
      for (KeyValue dropped : history.compact(atRevision)) {
        sizeBytes -= sizeOf(dropped.getKey(), dropped.getValue());
      }
      if (history.isEmpty()) {
        it.remove();
      }
    }
    eventsByRevision.headMap(atRevision, false).clear();
    compactedRevision = atRevision;
  }

  /**
   * Every retained version, tombstones included, in the order written: by
   * mod_revision, and within a revision in the order of its events, so that
   * {@link #restore} rebuilds the events in the order watchers saw them.
   * Versions older than the compaction point have no events left; they come
   * first, by mod_revision then key.
   */
  public List<KeyValue> allVersions() {
    List<KeyValue> all = new ArrayList<>();
    for (KeyHistory history : keys.values()) {
      for (KeyValue version : history.versions()) {
        if (version.getModRevision() < compactedRevision) {
          all.add(version);
        }
      }
    }
    all.sort(Comparator.comparingLong(KeyValue::getModRevision).thenComparing(KeyValue::getKey, KeyRange.ORDER));
    // From the compaction point on, each retained version is the kv of exactly one event.
    for (List<Event> events : eventsByRevision.values()) {
      events.forEach(event -> all.add(event.getKv()));
    }
    return all;
  }

  /**
   * A checksum of every retained version (tombstones included) with mod_revision
   * at or below {@code atRevision}, in key then revision order, like etcd's
   * HashKV: replicas that applied the same log agree on it, so comparing it
   * across replicas detects divergence.
   */
  public int hash(long atRevision) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    java.nio.ByteBuffer longs = java.nio.ByteBuffer.allocate(24);
    for (KeyHistory history : keys.values()) {
      for (KeyValue version : history.versions()) {
        if (version.getModRevision() > atRevision) {
          break;
        }
        crc.update(version.getKey().asReadOnlyByteBuffer());
        longs.clear();
        longs.putLong(version.getModRevision()).putLong(version.getCreateRevision()).putLong(version.getVersion());
        crc.update(longs.flip());
        crc.update(version.getValue().asReadOnlyByteBuffer());
      }
    }
    return (int) crc.getValue();
  }

  /**
   * Rebuilds the state from a snapshot: the revisions and every retained version
   * in mod_revision order. Watch history is rebuilt from the same versions.
   */
  public static MvccStore restore(long revision, long compactedRevision, Collection<KeyValue> versionsInOrder) {
    MvccStore store = new MvccStore();
    store.revision = revision;
    store.compactedRevision = compactedRevision;
    for (KeyValue version : versionsInOrder) {
      KeyHistory history = store.keys.computeIfAbsent(version.getKey(), k -> new KeyHistory());
      KeyValue previous = history.newest();
      history.append(version);
      store.sizeBytes += sizeOf(version.getKey(), version.getValue());
      if (version.getModRevision() >= compactedRevision) {
        KeyValue prevLive = previous == null || KeyHistory.isTombstone(previous) ? null : previous;
        store.eventsByRevision.computeIfAbsent(version.getModRevision(), r -> new ArrayList<>())
            .add(eventFor(version, prevLive));
      }
    }
    return store;
  }

  private static Event eventFor(KeyValue version, KeyValue prevLive) {
    Event.Builder event = Event.newBuilder()
        .setType(KeyHistory.isTombstone(version) ? Event.EventType.DELETE : Event.EventType.PUT)
        .setKv(version);
    if (prevLive != null) {
      event.setPrevKv(prevLive);
    }
    return event.build();
  }

  /** Visits key versions; return false to stop. */
  @FunctionalInterface
  public interface VersionVisitor {
    boolean visit(KeyValue kv);
  }

  /**
   * One write transaction. Its changes are visible to reads through it at once
   * (a txn's later operations see its earlier ones) and become the store's next
   * revision on {@link #commit()}, unless nothing changed.
   */
  public final class Write {
    private final long writeRevision = revision + 1;
    private final List<Event> events = new ArrayList<>();

    public long revision() {
      return writeRevision;
    }

    /** The live version of {@code key} as this write sees it, or null. */
    public KeyValue get(ByteString key) {
      KeyHistory history = keys.get(key);
      return history == null ? null : history.at(writeRevision);
    }

    public void scan(KeyRange range, VersionVisitor visitor) {
      MvccStore.this.scan(range, writeRevision, visitor);
    }

    /** Writes a new version of {@code key} and returns it. */
    public KeyValue put(ByteString key, ByteString value, long lease) {
      KeyHistory history = keys.computeIfAbsent(key, k -> new KeyHistory());
      KeyValue previous = history.at(writeRevision);
      KeyValue version = KeyValue.newBuilder()
          .setKey(key)
          .setValue(value)
          .setLease(lease)
          .setModRevision(writeRevision)
          .setCreateRevision(previous == null ? writeRevision : previous.getCreateRevision())
          .setVersion(previous == null ? 1 : previous.getVersion() + 1)
          .build();
      history.append(version);
      sizeBytes += sizeOf(key, value);
      events.add(eventFor(version, previous));
      return version;
    }

    /** Deletes the live keys in {@code range}; returns their last versions in key order. */
    public List<KeyValue> delete(KeyRange range) {
      List<KeyValue> deleted = new ArrayList<>();
      MvccStore.this.scan(range, writeRevision, deleted::add);
      deleted.forEach(this::deleteVersion);
      return deleted;
    }

    private void deleteVersion(KeyValue live) {
      KeyValue tombstone = KeyValue.newBuilder().setKey(live.getKey()).setModRevision(writeRevision).build();
      keys.get(live.getKey()).append(tombstone);
      sizeBytes += sizeOf(tombstone.getKey(), ByteString.EMPTY);
      events.add(eventFor(tombstone, live));
    }

    public boolean changedAnything() {
      return !events.isEmpty();
    }

    /** Makes the changes the store's new revision; returns its events (empty if none). */
    public List<Event> commit() {
      if (!events.isEmpty()) {
        revision = writeRevision;
        eventsByRevision.put(writeRevision, List.copyOf(events));
      }
      return List.copyOf(events);
    }

    public void forEachEvent(Consumer<Event> consumer) {
      events.forEach(consumer);
    }
  }
}
