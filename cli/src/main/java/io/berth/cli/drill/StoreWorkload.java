package io.berth.cli.drill;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.ManagedChannel;
import io.berth.store.tls.StoreTls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The drill's own small load on the store: one writer putting a new key every few
 * milliseconds, one reader doing linearizable reads, each moving to the next endpoint when
 * one fails. It remembers every acknowledged write and, for both, the longest time between
 * two successes: the unavailability an application would have seen.
 */
final class StoreWorkload implements AutoCloseable {
  private static final String PREFIX = "/berth-drill/";

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private final Gaps writes = new Gaps();
  private final Gaps reads = new Gaps();
  private volatile boolean running = true;
  private final Thread writer;
  private final Thread reader;

  /** The longest stretch without a success, as seen by one loop. */
  static final class Gaps {
    private long lastSuccess = System.nanoTime();
    private long longest;
    private long failures;

    synchronized void success() {
      long now = System.nanoTime();
      longest = Math.max(longest, now - lastSuccess);
      lastSuccess = now;
    }

    synchronized void failure() {
      failures++;
    }

    synchronized long longestMillis() {
      return Math.max(longest, System.nanoTime() - lastSuccess) / 1_000_000;
    }

    synchronized long failures() {
      return failures;
    }
  }

  StoreWorkload(List<String> endpoints, StoreTls tls) {
    for (String endpoint : endpoints) {
      channels.add(StoreTls.channel(endpoint, tls));
    }
    writer = Thread.ofPlatform().name("drill-writer").daemon().start(this::write);
    reader = Thread.ofPlatform().name("drill-reader").daemon().start(this::read);
  }

  private void write() {
    int endpoint = 0;
    for (long i = 0; running; i++) {
      String key = PREFIX + run + "/" + String.format("%08d", i);
      boolean done = false;
      while (running && !done) {
        try {
          KVGrpc.newBlockingStub(channels.get(endpoint)).withDeadlineAfter(2, TimeUnit.SECONDS)
              .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("v")).build());
          acknowledged.add(key);
          writes.success();
          done = true;
        } catch (RuntimeException e) {
          // This key's put may or may not have landed; it is not counted as acknowledged.
          writes.failure();
          endpoint = (endpoint + 1) % channels.size();
          done = true;
        }
      }
      pause(5);
    }
  }

  private void read() {
    int endpoint = 0;
    while (running) {
      try {
        KVGrpc.newBlockingStub(channels.get(endpoint)).withDeadlineAfter(2, TimeUnit.SECONDS)
            .range(RangeRequest.newBuilder().setKey(bytes(PREFIX + run + "/00000000")).build());
        reads.success();
      } catch (RuntimeException e) {
        reads.failure();
        endpoint = (endpoint + 1) % channels.size();
      }
      pause(5);
    }
  }

  Gaps writes() {
    return writes;
  }

  Gaps reads() {
    return reads;
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  /** Stops the loops and counts acknowledged writes missing from a linearizable read of them all. */
  long lostWrites() {
    stop();
    RuntimeException last = null;
    for (ManagedChannel channel : channels) {
      try {
        ByteString from = bytes(PREFIX + run + "/");
        RangeResponse all = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .range(RangeRequest.newBuilder().setKey(from).setRangeEnd(bytes(PREFIX + run + "0")).setKeysOnly(true)
                .build());
        Set<String> present = ConcurrentHashMap.newKeySet();
        all.getKvsList().forEach(kv -> present.add(kv.getKey().toStringUtf8()));
        return acknowledged.stream().filter(key -> !present.contains(key)).count();
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no replica answered the final read of the drill's keys", last);
  }

  /** Stops the writer and the reader; their numbers stay. */
  void stop() {
    running = false;
    try {
      writer.join(5000);
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
