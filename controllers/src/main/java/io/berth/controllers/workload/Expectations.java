package io.berth.controllers.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a controller is still waiting to see in its caches after its own writes, per owner
 * key, so that a slow watch never makes it act twice: having asked for 3 pods, it must not
 * ask for 3 more because the cache does not show them yet. Creations are counted (names are
 * generated), deletions are tracked by pod key. Until an owner's expectations are
 * satisfied its controller only updates status. They expire after {@code ttl}, in case an
 * event was lost for good (the watch relisted past it).
 *
 * <p>Thread-safe: workers set them, informer handlers observe.
 */
public final class Expectations {
  private record Pending(int creations, Set<String> deletions, Instant setAt) {
    boolean fulfilled() {
      return creations <= 0 && deletions.isEmpty();
    }
  }

  private final Duration ttl;
  private final Map<String, Pending> byOwner = new ConcurrentHashMap<>();

  public Expectations(Duration ttl) {
    this.ttl = ttl;
  }

  /** Kubernetes' value: five minutes. */
  public static Expectations withDefaultTtl() {
    return new Expectations(Duration.ofMinutes(5));
  }

  /** Whether {@code owner}'s controller may act on what its cache shows. */
  public boolean satisfied(String owner, Instant now) {
    Pending pending = byOwner.get(owner);
    return pending == null || pending.fulfilled() || Duration.between(pending.setAt(), now).compareTo(ttl) > 0;
  }

  /** About to create {@code count} objects for {@code owner}. */
  public void expectCreations(String owner, int count, Instant now) {
    byOwner.put(owner, new Pending(count, Set.of(), now));
  }

  /** About to delete these objects (by key) of {@code owner}. */
  public void expectDeletions(String owner, Collection<String> keys, Instant now) {
    byOwner.put(owner, new Pending(0, Set.copyOf(keys), now));
  }

  /** A creation for {@code owner} was seen in the cache, or will never be (the create failed or was skipped). */
  public void creationObserved(String owner) {
    byOwner.computeIfPresent(owner, (k, p) -> new Pending(p.creations() - 1, p.deletions(), p.setAt()));
  }

  /** The deletion of {@code key} was seen (or will never be). */
  public void deletionObserved(String owner, String key) {
    byOwner.computeIfPresent(owner, (k, p) -> {
      if (!p.deletions().contains(key)) {
        return p;
      }
      Set<String> rest = new HashSet<>(p.deletions());
      rest.remove(key);
      return new Pending(p.creations(), Set.copyOf(rest), p.setAt());
    });
  }

  /** The owner is gone: nothing more to wait for. */
  public void forget(String owner) {
    byOwner.remove(owner);
  }
}
