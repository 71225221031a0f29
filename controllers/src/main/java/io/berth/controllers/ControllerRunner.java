package io.berth.controllers;

import io.berth.client.ApiException;
import io.berth.controllers.queue.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller during one term: its workers, each looping take a key, reconcile, then
 * forget it (success), requeue it later (asked for) or requeue it with back-off (error).
 */
final class ControllerRunner {
  private static final Logger log = LoggerFactory.getLogger(ControllerRunner.class);

  private final String name;
  private final WorkQueue queue;
  private final Reconciler reconciler;
  private final ControllerMetrics metrics;
  private final List<Thread> workers = new ArrayList<>();

  ControllerRunner(String name, WorkQueue queue, Reconciler reconciler, ControllerMetrics metrics) {
    this.name = name;
    this.queue = queue;
    this.reconciler = reconciler;
    this.metrics = metrics;
  }

  void start(int count) {
    for (int i = 0; i < count; i++) {
      workers.add(Thread.ofPlatform().name(name + "-worker-" + i).daemon().start(this::work));
    }
  }

  /** Stops handing out keys and waits (up to {@code grace}) for reconciles in progress. */
  void stop(Duration grace) {
    queue.shutDown();
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread worker : workers) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !worker.join(Duration.ofNanos(left))) {
          // A worker stuck in a call: interrupt it. Its writes are fenced anyway.
          worker.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void work() {
    try {
      for (String key; (key = queue.get()) != null; ) {
        processOne(key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void processOne(String key) {
    long start = System.nanoTime();
    try {
      Result result = reconciler.reconcile(key);
      queue.forget(key);
      if (result.requeue()) {
        queue.addAfter(key, result.requeueAfter());
      }
      metrics.reconciled(name, result.requeue() ? "requeue" : "success", start);
    } catch (Exception e) {
      metrics.reconciled(name, "error", start);
      logFailure(key, e);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }

  private void logFailure(String key, Exception e) {
    if (e instanceof ApiException api && api.isConflict()) {
      // A stale cache: the next try, once the watch has caught up, reads the new version.
      log.debug("{} {}: conflict, retrying ({})", name, key, api.getMessage());
    } else if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    } else {
      log.warn("{} {}: reconcile failed (retry {}): {}", name, key, queue.retries(key), e.toString(),
          queue.retries(key) == 0 ? e : null);
    }
  }
}
