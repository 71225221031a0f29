package io.berth.apiserver.storage;

import com.google.protobuf.ByteString;
import io.berth.store.command.StoreQuery;
import io.berth.store.command.StoreResult;
import io.berth.store.mvcc.MvccStore;
import io.berth.store.server.StoreNode;
import io.berth.store.watch.WatchHub;
import io.berth.store.watch.WatchSink;
import io.berth.store.watch.Watcher;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChangeFeed} over this replica's own state machine: an in-process store
 * watcher, registered under the state machine's read lock together with the read
 * of the starting state, so the state and the changes after it meet exactly.
 * Being in-process it costs no gRPC stream, and it follows this replica's applied
 * state whoever leads the Raft group, so a leader change is invisible to it.
 */
public final class EtcdChangeFeed implements ChangeFeed {
  private static final Logger log = LoggerFactory.getLogger(EtcdChangeFeed.class);
  /** Any key will do: a linearizable read of it returns the quorum's revision in its header. */
  private static final ByteString PROBE_KEY = ByteString.copyFromUtf8("/berth/revision-probe");
  /** Watch ids of in-process watchers; they only label responses, which never leave this class. */
  private static final AtomicLong WATCH_IDS = new AtomicLong(1L << 40);

  private final StoreNode node;

  public EtcdChangeFeed(StoreNode node) {
    this.node = node;
  }

  @Override
  public CompletableFuture<Long> quorumRevision() {
    RangeRequest probe = RangeRequest.newBuilder().setKey(PROBE_KEY).setKeysOnly(true).build();
    return EtcdObjectStore.translateErrors(node.readLinearizableAtLeader(StoreQuery.newBuilder().setRange(probe).build()))
        .thenApply((StoreResult r) -> r.getRange().getHeader().getRevision());
  }

  @Override
  public FeedSubscription subscribe(String prefix, long historyRevisions, FeedListener listener) {
    return new Subscription(prefix, historyRevisions, listener);
  }

  /** Responses are queued by the sink (under the store's lock) and handed to the listener by one thread. */
  private final class Subscription implements FeedSubscription, WatchSink {
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final FeedListener listener;
    private final Thread thread;
    private volatile Watcher watcher;
    private volatile boolean closed;

    Subscription(String prefix, long historyRevisions, FeedListener listener) {
      this.listener = listener;
      ByteString key = ByteString.copyFromUtf8(prefix);
      long id = WATCH_IDS.incrementAndGet();
      watcher = node.readLocal(state -> {
        MvccStore mvcc = state.mvcc();
        long startAt = Math.max(mvcc.compactedRevision(), mvcc.revision() - Math.max(0, historyRevisions));
        RangeRequest range = RangeRequest.newBuilder().setKey(key).setRangeEnd(EtcdObjectStore.prefixEnd(key))
            .setRevision(startAt).build();
        List<StoredObject> objects = new ArrayList<>();
        state.range(range).getKvsList().forEach(kv -> objects.add(toObject(kv)));
        queue.add(() -> listener.onStart(startAt, objects));
        WatchCreateRequest request = WatchCreateRequest.newBuilder().setKey(key)
            .setRangeEnd(EtcdObjectStore.prefixEnd(key)).setStartRevision(startAt + 1).build();
        return hub().register(id, request, mvcc.revision(), mvcc.compactedRevision(),
            mvcc.eventsFrom(startAt + 1), this);
      });
      thread = Thread.ofPlatform().daemon().name("berth-feed-" + prefix).start(this::run);
    }

    private WatchHub hub() {
      return node.stateMachine().watchHub();
    }

    @Override
    public void send(WatchResponse.Builder response, long revision) {
      if (response.getCreated()) {
        return;
      }
      if (response.getCanceled()) {
        String reason = "the store compacted revisions this replica had not yet applied (now at "
            + response.getCompactRevision() + ")";
        queue.add(() -> listener.onLost(reason));
        queue.add(this::close);
        return;
      }
      if (response.getEventsCount() == 0) {
        queue.add(() -> listener.onProgress(revision));
        return;
      }
      List<StoredChange> changes = new ArrayList<>(response.getEventsCount());
      long changeRevision = response.getEvents(0).getKv().getModRevision();
      for (Event event : response.getEventsList()) {
        KeyValue kv = event.getKv();
        byte[] value = event.getType() == Event.EventType.DELETE ? null : kv.getValue().toByteArray();
        changes.add(new StoredChange(kv.getKey().toStringUtf8(), value, kv.getModRevision()));
      }
      queue.add(() -> listener.onChanges(changeRevision, changes));
    }

    @Override
    public void requestProgress() {
      // Under the read lock, so the mark lands after every revision already published.
      node.readLocal(state -> {
        long revision = state.mvcc().revision();
        queue.add(() -> listener.onProgress(revision));
        return null;
      });
    }

    private void run() {
      try {
        while (!closed) {
          queue.take().run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.error("change feed listener failed; the feed stops", e);
        listener.onLost("the listener failed: " + e);
      }
    }

    @Override
    public void close() {
      closed = true;
      Watcher w = watcher;
      if (w != null) {
        hub().cancel(w);
        watcher = null;
      }
      if (Thread.currentThread() != thread) {
        thread.interrupt();
      }
    }
  }

  private static StoredObject toObject(KeyValue kv) {
    return new StoredObject(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toByteArray(),
        kv.getModRevision());
  }
}
