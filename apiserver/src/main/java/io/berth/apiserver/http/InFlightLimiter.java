package io.berth.apiserver.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * kube-apiserver's max-in-flight filter: at most so many read-only and so many
 * mutating requests at once; a request beyond the limit is answered 429 at once
 * (with Retry-After) rather than queued, so an overloaded replica sheds load
 * instead of timing everyone out. Long-running requests (watches) are not counted:
 * they would hold a slot for their whole life.
 */
final class InFlightLimiter {
  /** kube-apiserver's defaults: --max-requests-inflight 400, --max-mutating-requests-inflight 200. */
  static final int DEFAULT_READS = 400;
  static final int DEFAULT_MUTATIONS = 200;

  private final int maxReads;
  private final int maxMutations;
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger mutations = new AtomicInteger();

  InFlightLimiter(int maxReads, int maxMutations) {
    this.maxReads = maxReads;
    this.maxMutations = maxMutations;
  }

  /** Takes a slot; false if the limit is reached. A true must be followed by one {@link #release}. */
  boolean tryAcquire(boolean mutating) {
    AtomicInteger counter = mutating ? mutations : reads;
    int max = mutating ? maxMutations : maxReads;
    while (true) {
      int current = counter.get();
      if (current >= max) {
        return false;
      }
      if (counter.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release(boolean mutating) {
    (mutating ? mutations : reads).decrementAndGet();
  }

  int inFlight(boolean mutating) {
    return (mutating ? mutations : reads).get();
  }
}
