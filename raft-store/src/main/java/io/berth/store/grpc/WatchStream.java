package io.berth.store.grpc;

import com.google.protobuf.ByteString;
import io.berth.store.mvcc.MvccStore;
import io.berth.store.server.StoreNode;
import io.berth.store.watch.WatchHub;
import io.berth.store.watch.WatchSink;
import io.berth.store.watch.Watcher;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client's Watch stream: many watchers, ids from 0 in creation order.
 * Responses are queued by the {@link WatchHub} (under the store's lock, so in
 * revision order) and written out by one drain task at a time, honouring gRPC
 * flow control. A client that stops reading is cut off once its queue passes
 * {@link #MAX_QUEUED}; it resumes from its last revision and misses nothing.
 */
final class WatchStream implements StreamObserver<WatchRequest>, WatchSink {
  static final int MAX_QUEUED = 100_000;

  private final StoreNode node;
  private final WatchHub hub;
  private final Replies replies;
  private final ServerCallStreamObserver<WatchResponse> out;
  private final Executor executor;
  private final Map<Long, Watcher> watchers = new ConcurrentHashMap<>();
  private final Queue<WatchResponse> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final boolean requiresLeader;
  private final Consumer<WatchStream> onClosed;
  private volatile boolean closed;
  /** Set once the call has been ended by its last onError or onCompleted; guarded by {@link #out}. */
  private boolean finished;
  private long nextWatchId;

  WatchStream(StoreNode node, StreamObserver<WatchResponse> out, Executor executor, boolean requiresLeader,
      Consumer<WatchStream> onClosed) {
    this.node = node;
    this.requiresLeader = requiresLeader;
    this.onClosed = onClosed;
    this.hub = node.stateMachine().watchHub();
    this.replies = new Replies(node);
    this.out = (ServerCallStreamObserver<WatchResponse>) out;
    this.executor = executor;
    this.out.setOnReadyHandler(this::scheduleDrain);
    this.out.setOnCancelHandler(this::close);
  }

  @Override
  public void onNext(WatchRequest request) {
    switch (request.getRequestUnionCase()) {
      case CREATE_REQUEST -> create(request.getCreateRequest());
      case CANCEL_REQUEST -> cancel(request.getCancelRequest().getWatchId());
      case PROGRESS_REQUEST -> node.readLocal(s -> {
        send(WatchResponse.newBuilder().setWatchId(-1), s.mvcc().revision());
        return null;
      });
      default -> { }
    }
  }

  private void create(WatchCreateRequest request) {
    WatchCreateRequest normalized = normalize(request);
    long id;
    synchronized (this) {
      id = nextWatchId++;
    }
    Watcher watcher = node.readLocal(s -> {
      MvccStore mvcc = s.mvcc();
      return hub.register(id, normalized, mvcc.revision(), mvcc.compactedRevision(),
          mvcc.eventsFrom(Math.max(normalized.getStartRevision(), mvcc.compactedRevision())), this);
    });
    if (watcher != null) {
      watchers.put(id, watcher);
    }
  }

  /** etcd's conventions: an empty key means "\0"; a range_end of "\0" means every key from key on. */
  private static WatchCreateRequest normalize(WatchCreateRequest request) {
    if (!request.getKey().isEmpty()) {
      return request;
    }
    return request.toBuilder().setKey(ByteString.copyFrom(new byte[] {0})).build();
  }

  private void cancel(long watchId) {
    Watcher watcher = watchers.remove(watchId);
    if (watcher != null) {
      hub.cancel(watcher);
    }
    node.readLocal(s -> {
      send(WatchResponse.newBuilder().setWatchId(watchId).setCanceled(true), s.mvcc().revision());
      return null;
    });
  }

  @Override
  public void send(WatchResponse.Builder response, long revision) {
    if (closed) {
      return;
    }
    if (queued.incrementAndGet() > MAX_QUEUED) {
      // Called from the hub's fan-out under the store's write lock: cut the stream off there,
      // and leave cancelling its watchers to the executor.
      closed = true;
      executor.execute(() -> end(Status.RESOURCE_EXHAUSTED
          .withDescription("etcdserver: watch stream fell too far behind; resume from the last revision received")));
      return;
    }
    queue.add(response.setHeader(replies.header(revision)).build());
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    try {
      while (!closed && out.isReady()) {
        WatchResponse next = queue.poll();
        if (next == null) {
          break;
        }
        queued.decrementAndGet();
        synchronized (out) {
          if (finished) {
            break;
          }
          out.onNext(next);
        }
      }
    } catch (RuntimeException e) {
      close();
      return;
    } finally {
      draining.set(false);
    }
    if (!closed && !queue.isEmpty() && out.isReady()) {
      scheduleDrain();
    }
  }

  @Override
  public void onError(Throwable t) {
    close();
  }

  @Override
  public void onCompleted() {
    close();
    executor.execute(() -> finish(null));
  }

  boolean requiresLeader() {
    return requiresLeader;
  }

  /**
   * Ends the stream with {@code why}, dropping its watchers; the client resumes from its last
   * revision, elsewhere if this member cannot serve it.
   */
  void end(Status why) {
    close();
    executor.execute(() -> finish(why));
  }

  /** The call's last message: completed, or an error; at most once, never during an onNext. */
  private void finish(Status error) {
    synchronized (out) {
      if (finished) {
        return;
      }
      finished = true;
      try {
        if (error == null) {
          out.onCompleted();
        } else {
          out.onError(error.asRuntimeException());
        }
      } catch (RuntimeException ignored) {
        // the call is already closed
      }
    }
  }

  private void close() {
    closed = true;
    watchers.values().forEach(hub::cancel);
    watchers.clear();
    queue.clear();
    onClosed.accept(this);
  }
}
