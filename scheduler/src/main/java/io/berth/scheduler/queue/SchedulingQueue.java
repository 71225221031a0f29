package io.berth.scheduler.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Pending pods waiting for a scheduling cycle, in three parts, as kube-scheduler's queue:
 *
 * <pre>
 *   active         ready now, first in first out
 *   backoff        tried and failed; ready again after 1 s, 2 s, 4 s ... up to the cap, per pod
 *   unschedulable  fit nowhere; waits for a cluster event that may change that (a node added or
 *                  changed, a pod deleted), or at most {@code unschedulableTimeout}
 * </pre>
 *
 * A cluster event moves every unschedulable pod to active (or to backoff while its back-off
 * runs). A pod found unschedulable by a cycle that started before such an event goes to backoff
 * rather than unschedulable: the event might have made room, and waiting for the next one
 * could strand it.
 *
 * <p>Keys are namespace/name. Thread-safe; {@link #pop} blocks.
 */
public final class SchedulingQueue {
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration unschedulableTimeout;
  private final LongSupplier nanoClock;

  private final ArrayDeque<String> active = new ArrayDeque<>();
  private final Set<String> inActive = new HashSet<>();
  private final PriorityQueue<Waiting> backoff = new PriorityQueue<>();
  private final Map<String, Waiting> inBackoff = new HashMap<>();
  private final Map<String, Long> unschedulable = new LinkedHashMap<>();     // key -> since (nanos)
  private final Map<String, Attempts> attempts = new HashMap<>();
  /** Pods popped and not yet reported on: their cycle number. */
  private final Map<String, Long> inFlight = new HashMap<>();
  /** Pods whose spec changed while they were being tried: that try saw the old spec. */
  private final Set<String> changedInFlight = new HashSet<>();
  private long cycle;
  private long lastMoveCycle = -1;
  private boolean closed;

  private record Waiting(String key, long readyAtNanos) implements Comparable<Waiting> {
    @Override
    public int compareTo(Waiting other) {
      return Long.compare(readyAtNanos, other.readyAtNanos);
    }
  }

  private static final class Attempts {
    int failures;
    long lastFailureNanos;
    final long firstQueuedNanos;

    Attempts(long firstQueuedNanos) {
      this.firstQueuedNanos = firstQueuedNanos;
    }
  }

  /** What {@link #pop} hands out: a pod key, its cycle, and when the pod first entered the queue. */
  public record Popped(String key, long cycle, long firstQueuedNanos) {}

  public record Lengths(int active, int backoff, int unschedulable) {}

  public SchedulingQueue(Duration initialBackoff, Duration maxBackoff, Duration unschedulableTimeout,
      LongSupplier nanoClock) {
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.unschedulableTimeout = unschedulableTimeout;
    this.nanoClock = nanoClock;
  }

  /** A pending pod seen (added, or its spec changed): it is tried as soon as its back-off allows. */
  public synchronized void add(String key) {
    long now = nanoClock.getAsLong();
    attempts.computeIfAbsent(key, k -> new Attempts(now));
    if (inFlight.containsKey(key)) {
      changedInFlight.add(key);
      return;
    }
    if (inActive.contains(key)) {
      return;
    }
    unschedulable.remove(key);
    if (!inBackoff.containsKey(key)) {
      if (isBackingOff(key, now)) {
        toBackoff(key, now);
      } else {
        toActive(key);
      }
    }
  }

  /** The pod is gone, bound by someone else, or no longer ours. */
  public synchronized void delete(String key) {
    if (inActive.remove(key)) {
      active.remove(key);
    }
    Waiting waiting = inBackoff.remove(key);
    if (waiting != null) {
      backoff.remove(waiting);
    }
    unschedulable.remove(key);
    attempts.remove(key);
    inFlight.remove(key);
    changedInFlight.remove(key);
  }

  /** The next pod to try, or null after {@code timeout} with none ready (or once closed). */
  public synchronized Popped pop(Duration timeout) throws InterruptedException {
    long deadline = nanoClock.getAsLong() + timeout.toNanos();
    while (!closed) {
      long now = nanoClock.getAsLong();
      flushBackoff(now);
      flushUnschedulableLeftovers(now);
      String key = active.poll();
      if (key != null) {
        inActive.remove(key);
        long thisCycle = ++cycle;
        inFlight.put(key, thisCycle);
        Attempts a = attempts.computeIfAbsent(key, k -> new Attempts(now));
        return new Popped(key, thisCycle, a.firstQueuedNanos);
      }
      long wait = Math.min(deadline - now, nextWakeUp(now));
      if (wait <= 0) {
        return null;
      }
      wait(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
    }
    return null;
  }

  /** The pod was placed (or needs no placing any more): it leaves the queue. */
  public synchronized void done(String key) {
    inFlight.remove(key);
    changedInFlight.remove(key);
    attempts.remove(key);
  }

  /** The pod fit on no node in its cycle. */
  public synchronized void unschedulable(Popped popped) {
    long now = nanoClock.getAsLong();
    Long cycleOfPod = inFlight.remove(popped.key());
    boolean changed = changedInFlight.remove(popped.key());
    if (cycleOfPod == null) {
      return;                                               // deleted meanwhile
    }
    failed(popped.key(), now);
    if (changed || lastMoveCycle >= popped.cycle()) {
      toBackoff(popped.key(), now);                         // something changed while it was being tried
    } else {
      unschedulable.put(popped.key(), now);
    }
  }

  /** Trying the pod failed for another reason (its bind failed): try again after its back-off. */
  public synchronized void retryLater(String key) {
    long now = nanoClock.getAsLong();
    inFlight.remove(key);
    changedInFlight.remove(key);
    if (inActive.contains(key) || inBackoff.containsKey(key)) {
      return;
    }
    unschedulable.remove(key);
    failed(key, now);
    toBackoff(key, now);
  }

  /** Something that may make room happened: every unschedulable pod gets another chance. */
  public synchronized void moveAllToActiveOrBackoff() {
    long now = nanoClock.getAsLong();
    lastMoveCycle = cycle;
    for (String key : unschedulable.keySet()) {
      if (isBackingOff(key, now)) {
        toBackoff(key, now);
      } else {
        toActive(key);
      }
    }
    unschedulable.clear();
    notifyAll();
  }

  public synchronized Lengths lengths() {
    return new Lengths(active.size(), backoff.size(), unschedulable.size());
  }

  /** Wakes every {@link #pop} waiting; they return null from now on. */
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** The back-off after {@code failures} failed attempts: initial x 2^(failures-1), capped. */
  Duration backoffAfter(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    Duration d = initialBackoff;
    for (int i = 1; i < failures && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  private void failed(String key, long now) {
    Attempts a = attempts.computeIfAbsent(key, k -> new Attempts(now));
    a.failures++;
    a.lastFailureNanos = now;
  }

  private boolean isBackingOff(String key, long now) {
    Attempts a = attempts.get(key);
    return a != null && a.failures > 0 && now < readyAt(a);
  }

  private long readyAt(Attempts a) {
    return a.lastFailureNanos + backoffAfter(a.failures).toNanos();
  }

  private void toActive(String key) {
    if (inActive.add(key)) {
      active.add(key);
      notifyAll();
    }
  }

  private void toBackoff(String key, long now) {
    Attempts a = attempts.get(key);
    long readyAt = a == null ? now : readyAt(a);
    Waiting waiting = new Waiting(key, readyAt);
    Waiting previous = inBackoff.put(key, waiting);
    if (previous != null) {
      backoff.remove(previous);
    }
    backoff.add(waiting);
    notifyAll();
  }

  private void flushBackoff(long now) {
    while (!backoff.isEmpty() && backoff.peek().readyAtNanos() <= now) {
      Waiting ready = backoff.poll();
      inBackoff.remove(ready.key());
      toActive(ready.key());
    }
  }

  private void flushUnschedulableLeftovers(long now) {
    for (Iterator<Map.Entry<String, Long>> it = unschedulable.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> entry = it.next();
      if (now - entry.getValue() < unschedulableTimeout.toNanos()) {
        break;                                                // insertion order: the rest are younger
      }
      it.remove();
      toActive(entry.getKey());
    }
  }

  private long nextWakeUp(long now) {
    long next = Long.MAX_VALUE;
    if (!backoff.isEmpty()) {
      next = backoff.peek().readyAtNanos() - now;
    }
    if (!unschedulable.isEmpty()) {
      next = Math.min(next, unschedulable.values().iterator().next() + unschedulableTimeout.toNanos() - now);
    }
    return next;
  }
}
