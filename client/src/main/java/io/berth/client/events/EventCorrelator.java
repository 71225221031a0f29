package io.berth.client.events;

import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether an event is new or a repeat, as Kubernetes' event correlator does, in
 * two steps:
 * <ol>
 *   <li><b>similar events</b>: an object that gets more than {@value #SIMILAR_LIMIT}
 *       different messages for one type and reason within {@link #SIMILAR_WINDOW} (a
 *       controller naming each pod it creates) has the rest folded into one event whose
 *       message says "(combined from similar events)";</li>
 *   <li><b>repeats</b>: an event equal to one already written (object, type, reason,
 *       message) raises that one's count and lastTimestamp.</li>
 * </ol>
 * Pure bookkeeping in memory, bounded (least recently used keys are forgotten). Not thread-safe:
 * the recorder calls it from its one writer thread.
 */
final class EventCorrelator {
  static final int SIMILAR_LIMIT = 10;
  static final Duration SIMILAR_WINDOW = Duration.ofMinutes(10);
  private static final int MAX_KEYS = 4096;

  /** What to write: a new event, or a new count for one already written. */
  sealed interface Decision {}

  /** @param key what {@link #created} remembers the written event under */
  record Create(String key, String message) implements Decision {}

  record Repeat(String namespace, String name, int count, Instant firstSeen, String message) implements Decision {}

  private record Written(String namespace, String name, int count, Instant firstSeen) {}

  private record Similar(Instant windowStart, Set<String> messages) {}

  private final Map<String, Written> written = lru();
  private final Map<String, Similar> similar = lru();

  /** What recording this event should do now. Call {@link #created} once a Create is written. */
  Decision observe(ObjectReference object, String type, String reason, String message, Instant now) {
    String aggregateKey = String.join("\u0000", Objects.toString(object.getUid(), ""), object.getKind(),
        Objects.toString(object.getNamespace(), ""), object.getName(), type, reason);
    String effective = folded(aggregateKey, message, now) ? "(combined from similar events): " + message : message;
    String key = effective.equals(message) ? aggregateKey + "\u0000" + message : aggregateKey + "\u0000*";
    Written before = written.get(key);
    if (before == null) {
      return new Create(key, effective);
    }
    Written again = new Written(before.namespace(), before.name(), before.count() + 1, before.firstSeen());
    written.put(key, again);
    return new Repeat(again.namespace(), again.name(), again.count(), again.firstSeen(), effective);
  }

  /** Remembers that a Create was written as {@code namespace/name}. */
  void created(Create create, String namespace, String name, Instant now) {
    written.put(create.key(), new Written(namespace, name, 1, now));
  }

  /** Forgets a written event (it was deleted, e.g. expired by the server); the next repeat creates it anew. */
  void forget(String namespace, String name) {
    written.values().removeIf(w -> w.namespace().equals(namespace) && w.name().equals(name));
  }

  /** Whether this message is past the limit of different messages for its object, type and reason. */
  private boolean folded(String aggregateKey, String message, Instant now) {
    Similar seen = similar.get(aggregateKey);
    if (seen == null || Duration.between(seen.windowStart(), now).compareTo(SIMILAR_WINDOW) > 0) {
      seen = new Similar(now, new HashSet<>());
      similar.put(aggregateKey, seen);
    }
    if (seen.messages().contains(message)) {
      return false;
    }
    if (seen.messages().size() >= SIMILAR_LIMIT) {
      return true;
    }
    seen.messages().add(message);
    return false;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }
}
