package io.berth.ingress.balancing;

import io.berth.ingress.routing.BackendPolicy.Balancing;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the upstream for each attempt. State lives here, keyed by backend name and upstream,
 * not in the routing table, so it survives table swaps: round-robin position per backend, and
 * outstanding requests per upstream (for least-request).
 *
 * <p>Candidates are the backend's upstreams not yet tried by this request and not ejected; if
 * every untried upstream is ejected, they are all candidates again (better to try one than to
 * fail the request outright).
 */
public final class Balancer {
  private final Ejections ejections;
  private final ConcurrentHashMap<String, AtomicInteger> positions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Upstream, AtomicInteger> outstanding = new ConcurrentHashMap<>();

  public Balancer(Ejections ejections) {
    this.ejections = ejections;
  }

  public Ejections ejections() {
    return ejections;
  }

  /**
   * The upstream for the next attempt, or null when every upstream has been tried.
   *
   * @param tried upstreams this request already tried (not modified)
   */
  public Upstream pick(String backend, List<Upstream> upstreams, Balancing balancing, Set<Upstream> tried) {
    Upstream chosen = choose(backend, upstreams, balancing, tried, true);
    return chosen != null ? chosen : choose(backend, upstreams, balancing, tried, false);
  }

  private Upstream choose(String backend, List<Upstream> upstreams, Balancing balancing, Set<Upstream> tried,
      boolean skipEjected) {
    int n = upstreams.size();
    if (n == 0) {
      return null;
    }
    if (balancing == Balancing.LEAST_REQUEST) {
      Upstream best = null;
      int bestLoad = Integer.MAX_VALUE;
      int start = Math.floorMod(positions.computeIfAbsent(backend, b -> new AtomicInteger()).getAndIncrement(), n);
      for (int i = 0; i < n; i++) {
        Upstream u = upstreams.get((start + i) % n);
        if (tried.contains(u) || (skipEjected && ejections.isEjected(u))) {
          continue;
        }
        int load = load(u);
        if (load < bestLoad) {
          best = u;
          bestLoad = load;
        }
      }
      return best;
    }
    int start = Math.floorMod(positions.computeIfAbsent(backend, b -> new AtomicInteger()).getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      Upstream u = upstreams.get((start + i) % n);
      if (!tried.contains(u) && !(skipEjected && ejections.isEjected(u))) {
        return u;
      }
    }
    return null;
  }

  /** A request to {@code upstream} started (call {@link #finished} exactly once after). */
  public void started(Upstream upstream) {
    outstanding.computeIfAbsent(upstream, u -> new AtomicInteger()).incrementAndGet();
  }

  public void finished(Upstream upstream) {
    AtomicInteger count = outstanding.get(upstream);
    if (count != null) {
      count.decrementAndGet();
    }
  }

  /** Requests outstanding at {@code upstream} now. */
  public int load(Upstream upstream) {
    AtomicInteger count = outstanding.get(upstream);
    return count == null ? 0 : count.get();
  }
}
