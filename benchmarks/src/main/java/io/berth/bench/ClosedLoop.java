package io.berth.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop driver: {@code clients} independent clients, each starting its next
 * operation as soon as the previous one completes, for a warm-up and then a measured
 * interval. Only operations that both start and finish inside the measured interval count,
 * so throughput is completed operations divided by the interval's length.
 */
final class ClosedLoop {

  /** Starts one asynchronous operation; calls {@code done} once, with null or the failure. */
  @FunctionalInterface
  interface AsyncOp {
    void start(int client, long seq, Consumer<Throwable> done);
  }

  /** Throughput, latency distribution (microseconds) and failures of one measured interval. */
  record Sample(double opsPerSecond, Histogram latencyMicros, long errors, String firstError) {
    double p50Millis() {
      return percentileMillis(latencyMicros, 50);
    }

    double p99Millis() {
      return percentileMillis(latencyMicros, 99);
    }
  }

  static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(15);
  private static final long ERROR_BACKOFF_MILLIS = 5;

  private ClosedLoop() {
  }

  static Sample run(int clients, Duration warmup, Duration measure, AsyncOp op) throws InterruptedException {
    Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    AtomicLong errors = new AtomicLong();
    String[] firstError = {null};
    CountDownLatch stopped = new CountDownLatch(clients);
    long measureStart = System.nanoTime() + warmup.toNanos();
    long measureEnd = measureStart + measure.toNanos();
    ScheduledExecutorService backoff = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int c = 0; c < clients; c++) {
        new Client(c, op, recorder, errors, firstError, stopped, measureStart, measureEnd, backoff).next();
      }
      long drainDeadline = measureEnd - System.nanoTime() + DRAIN_LIMIT.toNanos();
      if (!stopped.await(drainDeadline, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException(stopped.getCount() + " of " + clients
            + " clients still waiting for a reply " + DRAIN_LIMIT.toSeconds() + " s after the end");
      }
    } finally {
      backoff.shutdownNow();
    }
    Histogram h = recorder.getIntervalHistogram();
    double seconds = measure.toNanos() / 1e9;
    return new Sample(h.getTotalCount() / seconds, h, errors.get(), firstError[0]);
  }

  /** The percentile in milliseconds, or NaN (shown as "-") when nothing completed. */
  static double percentileMillis(Histogram micros, double percentile) {
    return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
  }

  private static final class Client {
    private final int id;
    private final ClosedLoop.AsyncOp op;
    private final Recorder recorder;
    private final AtomicLong errors;
    private final String[] firstError;
    private final CountDownLatch stopped;
    private final long measureStart;
    private final long measureEnd;
    private final ScheduledExecutorService backoff;
    private long seq;

    Client(int id, AsyncOp op, Recorder recorder, AtomicLong errors, String[] firstError,
        CountDownLatch stopped, long measureStart, long measureEnd, ScheduledExecutorService backoff) {
      this.id = id;
      this.op = op;
      this.recorder = recorder;
      this.errors = errors;
      this.firstError = firstError;
      this.stopped = stopped;
      this.measureStart = measureStart;
      this.measureEnd = measureEnd;
      this.backoff = backoff;
    }

    void next() {
      long start = System.nanoTime();
      if (start >= measureEnd) {
        stopped.countDown();
        return;
      }
      op.start(id, seq++, error -> completed(start, error));
    }

    private void completed(long start, Throwable error) {
      long end = System.nanoTime();
      if (error != null) {
        if (start >= measureStart && end <= measureEnd && errors.getAndIncrement() == 0) {
          firstError[0] = String.valueOf(error);
        }
        // A failing call can complete at once; back off instead of spinning or recursing.
        backoff.schedule(this::next, ERROR_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
        return;
      }
      if (start >= measureStart && end <= measureEnd) {
        recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, (end - start) / 1000)));
      }
      next();
    }
  }
}
