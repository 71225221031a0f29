package io.berth.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Watch event delivery latency, measured as etcd's {@code benchmark watch-latency} does:
 * one watcher per endpoint on a prefix, and one writer that puts a key under it, waits
 * until every watcher has seen the event, and puts the next, at most
 * {@link #PUTS_PER_SECOND} a second. Each value starts with the put's send time
 * ({@link System#nanoTime}, same JVM) and its sequence number; a sample is receive time
 * minus send time, so it covers commit, apply and delivery, and never waits behind a
 * backlog of earlier puts (which would measure the write queue instead).
 */
final class WatchLatency {
  static final int PUTS_PER_SECOND = 100;
  static final Duration DELIVERY_LIMIT = Duration.ofSeconds(10);

  /** Latencies of events for puts sent in the measured interval, how many never came, failed puts. */
  record Sample(Histogram latencyMicros, int watchers, long delivered, long missing, long failedPuts) {
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
  private volatile Awaited awaited;

  WatchLatency(Target target, String prefix, int valueBytes) {
    this.target = target;
    this.prefix = prefix;
    this.valueBytes = valueBytes;
  }

  Sample run(Duration warmup, Duration measure) throws InterruptedException {
    int watchers = target.endpoints().size();
    List<StreamObserver<WatchRequest>> streams = new ArrayList<>();
    CountDownLatch created = new CountDownLatch(watchers);
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
      long interval = 1_000_000_000L / PUTS_PER_SECOND;
      long sentInInterval = 0;
      long failedPuts = 0;
      for (long seq = 0; ; seq++) {
        long slot = start + seq * interval;
        long now = System.nanoTime();
        if (Math.max(now, slot) >= measureEnd) {
          break;
        }
        if (slot > now) {
          TimeUnit.NANOSECONDS.sleep(slot - now);
        }
        CountDownLatch seen = new CountDownLatch(watchers);
        awaited = new Awaited(seq, seen);
        long sent;
        try {
          sent = put(seq);
        } catch (StatusRuntimeException e) {
          failedPuts++;
          continue;
        }
        if (sent >= measureStart && sent < measureEnd) {
          sentInInterval++;
        }
        if (!seen.await(DELIVERY_LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
          break;
        }
      }
      awaited = null;
      long expected = sentInInterval * watchers;
      return new Sample(recorder.getIntervalHistogram(), watchers, delivered.get(),
          Math.max(0, expected - delivered.get()), failedPuts);
    } finally {
      streams.forEach(s -> {
        try {
          s.onCompleted();
        } catch (RuntimeException ignored) {
          // The stream may already have failed; nothing to close.
        }
      });
    }
  }

  /** The put the writer is waiting on, and the watchers that have not yet seen it. */
  private record Awaited(long seq, CountDownLatch seen) {
  }

  /** Puts key {@code seq}, returns its send time once the put has been acknowledged. */
  private long put(long seq) {
    long sent = System.nanoTime();
    ByteBuffer buf = ByteBuffer.allocate(valueBytes).putLong(sent).putLong(seq);
    target.kvBlocking((int) seq).put(PutRequest.newBuilder()
        .setKey(ByteString.copyFrom(prefix + seq, StandardCharsets.UTF_8))
        .setValue(ByteString.copyFrom(buf.array()))
        .build());
    return sent;
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
          ByteBuffer value = event.getKv().getValue().asReadOnlyByteBuffer();
          long sent = value.getLong();
          long seq = value.getLong();
          if (sent >= measureStart && sent < measureEnd) {
            delivered.incrementAndGet();
            recorder.recordValue(Math.min(ClosedLoop.HIGHEST_MICROS, Math.max(1, (now - sent) / 1000)));
          }
          Awaited waiting = awaited;
          if (waiting != null && waiting.seq() == seq) {
            waiting.seen().countDown();
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
  static ByteString prefixEnd(ByteString prefix) {
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
