package io.berth.store.testing;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A watch client that behaves as etcd's clients do: when its stream breaks it
 * opens a new one on the next member in its list, starting at the revision after
 * the last event it received. Records every event and every member it used.
 */
public final class ResumingWatch implements AutoCloseable {
  private final StoreCluster cluster;
  private final List<String> members;
  private final ByteString key;
  private final ByteString rangeEnd;
  private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "resuming-watch");
    t.setDaemon(true);
    return t;
  });
  private final List<Event> events = new ArrayList<>();
  private final List<String> streams = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private long lastRevision;
  private int next;
  private volatile boolean closed;
  private StreamObserver<WatchRequest> requests;

  /** Watches [key, rangeEnd) from {@code startRevision}, first on {@code members.get(0)}. */
  public ResumingWatch(StoreCluster cluster, List<String> members, ByteString key, ByteString rangeEnd,
      long startRevision) {
    this.cluster = cluster;
    this.members = List.copyOf(members);
    this.key = key;
    this.rangeEnd = rangeEnd;
    this.lastRevision = startRevision - 1;
    reconnects.execute(this::open);
  }

  private synchronized void open() {
    if (closed) {
      return;
    }
    String member = members.get(next++ % members.size());
    streams.add(member + "@" + (lastRevision + 1));
    StreamObserver<WatchResponse> responses = new StreamObserver<>() {
      @Override
      public void onNext(WatchResponse response) {
        received(response);
      }

      @Override
      public void onError(Throwable t) {
        broken();
      }

      @Override
      public void onCompleted() {
        broken();
      }
    };
    requests = cluster.watch(member).watch(responses);
    requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(key).setRangeEnd(rangeEnd).setStartRevision(lastRevision + 1)).build());
  }

  private synchronized void received(WatchResponse response) {
    if (response.getCanceled()) {
      problems.add("canceled: " + response.getCancelReason());
      return;
    }
    for (Event event : response.getEventsList()) {
      events.add(event);
      lastRevision = event.getKv().getModRevision();
    }
  }

  private void broken() {
    if (!closed) {
      reconnects.schedule(this::open, 50, TimeUnit.MILLISECONDS);
    }
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  public synchronized long lastRevision() {
    return lastRevision;
  }

  /** The streams opened, as member@startRevision. */
  public synchronized List<String> streams() {
    return List.copyOf(streams);
  }

  /** Cancellations received; a resumed watch should never be canceled. */
  public synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** Waits until an event at or after {@code revision} has been received. */
  public void awaitRevision(long revision, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lastRevision() < revision) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("watch reached revision " + lastRevision() + ", not " + revision
            + " within " + timeout + "; streams " + streams());
      }
      StoreCluster.sleep(20);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (requests != null) {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream is already broken
      }
    }
    reconnects.shutdownNow();
  }
}
