package io.berth.election;

import io.berth.client.Client;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One term of leadership: its fencing token and the threads the component's work runs on.
 * Work submitted here runs only while the leadership lasts: when it ends, every task is
 * interrupted and its future cancelled before {@link LeaderCallbacks#onStoppedLeading()}
 * is called, and nothing more can be submitted.
 *
 * <p>Thread-safe.
 */
public final class Leadership {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final FencingToken token;
  private final ScheduledThreadPoolExecutor executor;
  private final Set<Future<?>> tasks = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<String> ended = new CompletableFuture<>();

  Leadership(FencingToken token, String component, int threads) {
    this.token = token;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, component + "-leader-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  public FencingToken token() {
    return token;
  }

  /** False from the moment leadership is lost (checked before a write, it saves a refused call). */
  public boolean isLeading() {
    return !ended.isDone();
  }

  /** Completes, with the reason, when this leadership ends (before its work is stopped). */
  public CompletableFuture<String> ended() {
    return ended;
  }

  /** {@code client} with this leadership's fencing token on every request. */
  public Client fence(Client client) {
    return token.fence(client);
  }

  /** @throws RejectedExecutionException leadership has ended */
  public Future<?> submit(Runnable task) {
    return track(executor.submit(task));
  }

  /** @throws RejectedExecutionException leadership has ended */
  public <T> Future<T> submit(Callable<T> task) {
    return track(executor.submit(task));
  }

  /**
   * Runs {@code task} repeatedly while leading. A run that throws is logged and the schedule
   * goes on (a scheduled executor would otherwise silently stop repeating it).
   *
   * @throws RejectedExecutionException leadership has ended
   */
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
    Runnable guarded = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("{}: a scheduled task of the leader failed; it runs again in {}", token.key(), delay, e);
      }
    };
    return track(executor.scheduleWithFixedDelay(guarded, initialDelay.toNanos(), delay.toNanos(),
        TimeUnit.NANOSECONDS));
  }

  private <F extends Future<?>> F track(F future) {
    if (ended.isDone()) {
      future.cancel(true);
      throw new RejectedExecutionException("leadership " + token.headerValue() + " has ended");
    }
    tasks.add(future);
    return future;
  }

  /**
   * Ends the leadership: marks it over, cancels (interrupting) every task and waits up to
   * {@code timeout} for the threads to finish. Returns false if some did not.
   */
  boolean stop(String reason, Duration timeout) {
    ended.complete(reason);
    // Cancel first: cancelling interrupts a running task and marks its future cancelled,
    // where shutdownNow's interrupt alone would let the future complete normally.
    tasks.forEach(task -> task.cancel(true));
    executor.shutdownNow();
    try {
      if (executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.error("{}: the leader's work did not stop within {} of losing leadership; its writes are refused"
        + " by the fencing token, but it ignores interrupts", token.key(), timeout);
    return false;
  }
}
