package io.berth.chaos.workload;

import io.berth.chaos.cluster.Replica;
import io.berth.chaos.history.History;
import io.berth.chaos.history.StoreEvent;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watcher of a prefix that survives faults: when its stream fails, is cancelled, or stays
 * silent past a progress request, it opens a new stream on the next replica from its last
 * revision + 1. Every event it accepts goes into the history as a delivery.
 */
final class ResumingWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResumingWatcher.class);
  /** Ask for progress this often; a replica that answers nothing for {@link #SILENCE_MS} is left. */
  private static final long PROGRESS_EVERY_MS = 1_000;
  private static final long SILENCE_MS = 3_000;
  /**
   * etcd's clientv3.WithRequireLeader, as Kubernetes' API server watches: a replica that has lost
   * its leader ends the stream ("etcdserver: no leader") instead of answering progress requests
   * from a store that no longer moves, which the silence check alone cannot tell from a quiet one.
   */
  private static final ClientInterceptor REQUIRE_LEADER = MetadataUtils.newAttachHeadersInterceptor(requireLeader());

  private final int id;
  private final List<Replica> replicas;
  private final String prefix;
  private final History history;
  private final Thread thread;
  private volatile boolean closed;
  private volatile long lastRevision;
  private volatile long lastHeardNanos;
  private volatile int replica;
  private volatile long resumes;
  /** Which stream is current: messages of an older stream, arriving late, are ignored. */
  private long stream;
  private ClientCallStreamObserver<WatchRequest> requests;
  private boolean broken;

  ResumingWatcher(int id, List<Replica> replicas, int firstReplica, String prefix, long lastRevision, History history) {
    this.id = id;
    this.replicas = replicas;
    this.replica = firstReplica;
    this.prefix = prefix;
    this.lastRevision = lastRevision;
    this.history = history;
    this.thread = Thread.ofPlatform().daemon().name("watcher-" + id).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  int id() {
    return id;
  }

  long lastRevision() {
    return lastRevision;
  }

  long resumes() {
    return resumes;
  }

  String replicaName() {
    return replicas.get(replica).name();
  }

  private void run() {
    boolean first = true;
    while (!closed) {
      if (!first) {
        resumes++;
        replica = (replica + 1) % replicas.size();
      }
      first = false;
      open();
      while (!closed && !isBroken() && System.nanoTime() - lastHeardNanos < SILENCE_MS * 1_000_000) {
        ClientThreads.pause(java.time.Duration.ofMillis(PROGRESS_EVERY_MS));
        requestProgress();
      }
      cancelCurrent(closed ? "closed" : "resuming elsewhere");
      if (!closed) {
        log.info("watcher {}: stream on {} ended or went silent; resuming from revision {} on the next replica",
            id, replicas.get(replica).name(), lastRevision + 1);
        ClientThreads.pause(java.time.Duration.ofMillis(200));
      }
    }
  }

  private static Metadata requireLeader() {
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
    return metadata;
  }

  private synchronized boolean isBroken() {
    return broken;
  }

  private void open() {
    Replica target = replicas.get(replica);
    long streamId;
    synchronized (this) {
      streamId = ++stream;
      broken = false;
      lastHeardNanos = System.nanoTime();
    }
    WatchGrpc.newStub(target.channel()).withInterceptors(REQUIRE_LEADER).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
        synchronized (ResumingWatcher.this) {
          requests = requestStream;
        }
      }

      @Override
      public void onNext(WatchResponse response) {
        received(streamId, target, response);
      }

      @Override
      public void onError(Throwable t) {
        ended(streamId);
      }

      @Override
      public void onCompleted() {
        ended(streamId);
      }
    });
    synchronized (this) {
      if (stream == streamId && requests != null) {
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
            .setKey(StoreOps.bytes(prefix)).setRangeEnd(StoreOps.prefixEnd(prefix))
            .setStartRevision(lastRevision + 1)).build());
      }
    }
  }

  private synchronized void received(long streamId, Replica from, WatchResponse response) {
    if (streamId != stream) {
      return;
    }
    lastHeardNanos = System.nanoTime();
    if (response.getCanceled()) {
      broken = true;
      return;
    }
    for (Event event : response.getEventsList()) {
      long revision = event.getKv().getModRevision();
      String key = event.getKv().getKey().toStringUtf8();
      Long value = event.getType() == Event.EventType.DELETE ? null
          : Long.parseLong(event.getKv().getValue().toStringUtf8());
      history.delivered(id, from.name(), new StoreEvent(revision, key, value));
      lastRevision = revision;
    }
  }

  private synchronized void ended(long streamId) {
    if (streamId == stream) {
      broken = true;
    }
  }

  private synchronized void requestProgress() {
    if (requests != null && !broken) {
      try {
        requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
      } catch (RuntimeException e) {
        broken = true;
      }
    }
  }

  private synchronized void cancelCurrent(String why) {
    if (requests != null) {
      requests.cancel(why, null);
      requests = null;
    }
    stream++;
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
