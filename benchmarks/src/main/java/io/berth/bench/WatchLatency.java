package io.berth.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Watch event delivery latency: one watcher per endpoint on a prefix, and a writer putting
 * keys under it at a fixed rate (open loop, so a slow reply does not delay later sends).
 * Each value starts with the put's send time ({@link System#nanoTime}, same JVM), and a
 * sample is receive time minus send time: commit, apply and delivery to the watcher.
 */
final class WatchLatency {
  static final int PUTS_PER_SECOND = 200;
  static final Duration DELIVERY_LIMIT = Duration.ofSeconds(10);

  /** Latencies of events for puts sent in the measured interval, and how many never came. */
  record Sample(Histogram latencyMicros, int watchers, long delivered, long missing) {
    double p50Millis() {
      return ClosedLoop.percentileMillis(latencyMicros, 50);
    }

    double p99Millis() {
      return ClosedLoop.percentileMillis(latencyMicros, 99);
    }
  }

  private final Target target;
  private final String prefix;
  private final int valueBytes;
  private final Recorder recorder = new Recorder(ClosedLoop.HIGHEST_MICROS, 3);
  private final AtomicLong delivered = new AtomicLong();
  private volatile long measureStart = Long.MAX_VALUE;
  private volatile long measureEnd = Long.MAX_VALUE;

  WatchLatency(Target target, String prefix, int valueBytes) {
    this.target = target;
    this.prefix = prefix;
    this.valueBytes = valueBytes;
  }

  Sample run(Duration warmup, Duration measure) throws InterruptedException {
    int watchers = target.endpoints().size();
    List<StreamObserver<WatchRequest>> streams = new ArrayList<>();
    CountDownLatch created = new CountDownLatch(watchers);
    ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < watchers; i++) {
        streams.add(openWatch(i, created));
      }
      if (!created.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("watches not created within 10 s on " + target.name());
      }
      long start = System.nanoTime();
      measureStart = start + warmup.toNanos();
      measureEnd = measureStart + measure.toNanos();
      AtomicLong seq = new AtomicLong();
      AtomicLong sentInInterval = new AtomicLong();
      writer.scheduleAtFixedRate(() -> put(seq.getAndIncrement(), sentInInterval),
          0, 1_000_000_000L / PUTS_PER_SECOND, TimeUnit.NANOSECONDS);
      TimeUnit.NANOSECONDS.sleep(measureEnd - System.nanoTime());
      writer.shutdownNow();
      long expected = sentInInterval.get() * watchers;
      long deadline = System.nanoTime() + DELIVERY_LIMIT.toNanos();
      while (delivered.get() < expected && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      return new Sample(recorder.getIntervalHistogram(), watchers, delivered.get(),
          Math.max(0, expected - delivered.get()));
    } finally {
      writer.shutdownNow();
      streams.forEach(s -> {
        try {
          s.onCompleted();
        } catch (RuntimeException ignored) {
          // The stream may already have failed; nothing to close.
        }
      });
    }
  }

  private void put(long seq, AtomicLong sentInInterval) {
    long sent = System.nanoTime();
    if (sent >= measureStart && sent < measureEnd) {
      sentInInterval.incrementAndGet();
    }
    ByteBuffer buf = ByteBuffer.allocate(valueBytes).putLong(sent);
    target.kv((int) seq).withDeadlineAfter(Workloads.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).put(
        PutRequest.newBuilder()
            .setKey(ByteString.copyFrom(prefix + seq, StandardCharsets.UTF_8))
            .setValue(ByteString.copyFrom(buf.array()))
            .build(),
        Calls.completing(error -> { }));
  }

  private StreamObserver<WatchRequest> openWatch(int endpoint, CountDownLatch created) {
    StreamObserver<WatchRequest> requests = target.watch(endpoint).watch(new StreamObserver<>() {
      @Override
      public void onNext(WatchResponse response) {
        long now = System.nanoTime();
        if (response.getCreated()) {
          created.countDown();
        }
        for (Event event : response.getEventsList()) {
          long sent = event.getKv().getValue().asReadOnlyByteBuffer().getLong();
          if (sent >= measureStart && sent < measureEnd) {
            delivered.incrementAndGet();
            recorder.recordValue(Math.min(ClosedLoop.HIGHEST_MICROS, Math.max(1, (now - sent) / 1000)));
          }
        }
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
      }
    });
    ByteString key = ByteString.copyFrom(prefix, StandardCharsets.UTF_8);
    requests.onNext(WatchRequest.newBuilder()
        .setCreateRequest(WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(prefixEnd(key)))
        .build());
    return requests;
  }

  /** The etcd range end covering every key that starts with {@code prefix}. */
  private static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }
}
