package io.berth.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The versions of the objects a controller wrote for an owner, until its cache shows them.
 * A controller deciding from a cache that still holds the version before its own write
 * would decide on a state that no longer exists (a Deployment shrinking a second old
 * ReplicaSet because it does not see yet that it shrank the first), so it waits.
 *
 * <p>Versions compare as numbers (Berth's resourceVersions are store revisions); one that is
 * not a number counts as seen only when equal. A written object missing from the cache is
 * awaited too (just created), for at most {@code ttl} (it may have been deleted since).
 * Thread-safe.
 */
public final class WrittenVersions {
  private record Written(String version, Instant at) {}

  private final Duration ttl;
  private final Map<String, Map<String, Written>> byOwner = new ConcurrentHashMap<>();

  public WrittenVersions(Duration ttl) {
    this.ttl = ttl;
  }

  /** Remembers the version {@code written} (the object as the API answered the write) for {@code owner}. */
  public void wrote(String owner, HasMetadata written, Instant now) {
    byOwner.computeIfAbsent(owner, k -> new ConcurrentHashMap<>())
        .put(written.getMetadata().getUid(), new Written(written.getMetadata().getResourceVersion(), now));
  }

  /**
   * Whether {@code cached} (the owner's objects in the cache) shows every write made for
   * {@code owner}; forgets the writes it shows.
   */
  public boolean caughtUp(String owner, Collection<? extends HasMetadata> cached, Instant now) {
    Map<String, Written> pending = byOwner.get(owner);
    if (pending == null) {
      return true;
    }
    Map<String, String> seen = cached.stream().collect(Collectors.toMap(o -> o.getMetadata().getUid(),
        o -> String.valueOf(o.getMetadata().getResourceVersion()), (a, b) -> b));
    for (String uid : Set.copyOf(pending.keySet())) {
      Written written = pending.get(uid);
      String version = seen.get(uid);
      boolean shown = version != null && atLeast(version, written.version());
      boolean expired = Duration.between(written.at(), now).compareTo(ttl) > 0;
      if (shown || expired) {
        pending.remove(uid, written);
      }
    }
    return pending.isEmpty();
  }

  public void forget(String owner) {
    byOwner.remove(owner);
  }

  private static boolean atLeast(String seen, String written) {
    try {
      return Long.parseLong(seen) >= Long.parseLong(written);
    } catch (NumberFormatException e) {
      return seen.equals(written);
    }
  }
}
