package io.berth.store.testing;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * A client writing keys {@code prefix00000}, {@code prefix00001}... one after
 * another, as long as it runs. A failed put is retried (same key) until it is
 * acknowledged, moving to the next member in its list after each failure.
 * Records the revision each key was acknowledged at and every failure.
 */
public final class BackgroundWriter implements AutoCloseable {
  private final StoreCluster cluster;
  private final String prefix;
  private final List<String> members;
  private final Map<String, Long> acknowledged = new ConcurrentSkipListMap<>();
  private final List<String> failures = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile String pending;

  public BackgroundWriter(StoreCluster cluster, String prefix, List<String> members) {
    this.cluster = cluster;
    this.prefix = prefix;
    this.members = List.copyOf(members);
    this.thread = new Thread(this::run, "background-writer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    int member = 0;
    for (int n = 0; !stopped; ) {
      String key = prefix + String.format("%05d", n);
      String via = members.get(member % members.size());
      pending = key;
      try {
        long revision = cluster.kv(via).withDeadlineAfter(3, TimeUnit.SECONDS)
            .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(key))
                .build())
            .getHeader().getRevision();
        acknowledged.put(key, revision);
        pending = null;
        n++;
      } catch (StatusRuntimeException e) {
        synchronized (failures) {
          failures.add(key + " via " + via + ": " + e.getStatus());
        }
        member++;
        StoreCluster.sleep(50);
      } catch (RuntimeException e) {
        // e.g. a channel to a member being stopped; counts as a failed attempt too
        synchronized (failures) {
          failures.add(key + " via " + via + ": " + e);
        }
        member++;
        StoreCluster.sleep(50);
      }
    }
  }

  /** Keys acknowledged so far, with the revision of their acknowledgement. */
  public Map<String, Long> acknowledged() {
    return Map.copyOf(acknowledged);
  }

  public long maxAcknowledgedRevision() {
    return acknowledged.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  public List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /** The key that was being retried when the writer stopped, or null if its last put was acknowledged. */
  public String unacknowledged() {
    return pending;
  }

  public void awaitAcknowledged(int count, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acknowledged.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(acknowledged.size() + " writes acknowledged within " + timeout
            + ", wanted " + count + "; failures: " + failures());
      }
      StoreCluster.sleep(20);
    }
  }

  /** Stops after the put under way (waiting at most its deadline). */
  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
