package io.berth.controllers.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The queue of object keys between a controller's event handlers and its workers.
 *
 * <ul>
 *   <li><b>dedup</b>: a key added several times before a worker takes it is processed once;</li>
 *   <li><b>one worker per key</b>: a key added while a worker holds it waits until that
 *       worker calls {@link #done}, then goes back in line, so two workers never reconcile the
 *       same object at once and the change that arrived meanwhile is not lost;</li>
 *   <li><b>delays</b>: {@link #addAfter} adds a key later; {@link #addRateLimited} adds it
 *       after its {@link RateLimiter} wait (back-off on error), {@link #forget} resets that.</li>
 * </ul>
 *
 * <p>A worker loops: {@code key = get(); try { ... } finally { done(key); }}; {@link #get}
 * answers null once the queue is {@linkplain #shutDown shut down}. Thread-safe.
 */
public final class WorkQueue implements AutoCloseable {
  private final RateLimiter limiter;
  private final IntConsumer depthListener;
  private final ScheduledExecutorService delays;
  /** Keys waiting for a worker, in order; each is also in {@code dirty}. */
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  /** Keys that need processing (waiting, or added again while being processed). */
  private final Set<String> dirty = new HashSet<>();
  /** Keys a worker holds now. */
  private final Set<String> processing = new HashSet<>();
  private boolean shuttingDown;

  /**
   * @param name names the delay thread
   * @param depthListener told the number of waiting keys whenever it changes (a metric)
   */
  public WorkQueue(String name, RateLimiter limiter, IntConsumer depthListener) {
    this.limiter = limiter;
    this.depthListener = depthListener;
    this.delays = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name(name + "-queue-delays").daemon().factory());
  }

  /** Asks for {@code key} to be processed (once, however often it is asked before a worker takes it). */
  public synchronized void add(String key) {
    if (shuttingDown || !dirty.add(key)) {
      return;
    }
    if (!processing.contains(key)) {
      queue.addLast(key);
      depthListener.accept(queue.size());
      notify();
    }
  }

  /** Adds {@code key} after {@code delay} (at once when it is zero or negative). */
  public void addAfter(String key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    try {
      // Several pending timers for one key are harmless: add() dedups them.
      delays.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      // The queue is shut down; nothing more will be processed.
    }
  }

  /** Adds {@code key} after its back-off: the retry of a failed reconcile. */
  public void addRateLimited(String key) {
    addAfter(key, limiter.when(key));
  }

  /** {@code key} was processed successfully: its back-off starts over. */
  public void forget(String key) {
    limiter.forget(key);
  }

  /** How many times {@code key} has been retried since it last succeeded. */
  public int retries(String key) {
    return limiter.retries(key);
  }

  /**
   * The next key to process, waiting for one; null once the queue is shut down. The
   * caller must call {@link #done} with it when finished.
   */
  public synchronized String get() throws InterruptedException {
    while (queue.isEmpty() && !shuttingDown) {
      wait();
    }
    if (shuttingDown) {
      return null;
    }
    String key = queue.removeFirst();
    dirty.remove(key);
    processing.add(key);
    depthListener.accept(queue.size());
    return key;
  }

  /** The worker is finished with {@code key}; if it was added meanwhile it goes back in line. */
  public synchronized void done(String key) {
    processing.remove(key);
    if (dirty.contains(key) && !shuttingDown) {
      queue.addLast(key);
      depthListener.accept(queue.size());
      notify();
    }
  }

  /** Keys waiting for a worker. */
  public synchronized int depth() {
    return queue.size();
  }

  /** Whether {@code key} is being processed right now (tests and diagnostics). */
  public synchronized boolean isProcessing(String key) {
    return processing.contains(key);
  }

  /** Stops handing out keys: waiting and future {@link #get} calls answer null; adds are ignored. */
  public synchronized void shutDown() {
    shuttingDown = true;
    queue.clear();
    dirty.clear();
    depthListener.accept(0);
    notifyAll();
    delays.shutdownNow();
  }

  public synchronized boolean isShutDown() {
    return shuttingDown;
  }

  @Override
  public void close() {
    shutDown();
  }
}
