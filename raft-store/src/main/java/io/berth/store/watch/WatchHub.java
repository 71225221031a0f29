package io.berth.store.watch;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans applied revisions out to the watchers of this replica.
 *
 * <p>Ordering rests on one rule: {@link #publish} runs under the state machine's
 * write lock, and {@link #register} and {@link #progress} under its read lock.
 * So a new watcher's replay of history up to the current revision, and every
 * live revision after it, reach its sink in revision order with no gap and no
 * repeat; and a progress notice never claims a revision whose events are not
 * yet queued.
 */
public final class WatchHub {
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

  /**
   * Creates a watcher and replays history. Must be called under the state
   * machine's read lock.
   *
   * @param history events by revision, from the store's compaction point on
   * @return the watcher, or null if its start revision was compacted (the sink
   *     has then been sent the created and canceled responses)
   */
  public Watcher register(long id, WatchCreateRequest request, long currentRevision, long compactedRevision,
      NavigableMap<Long, List<Event>> history, WatchSink sink) {
    long start = request.getStartRevision();
    sink.send(WatchResponse.newBuilder().setWatchId(id).setCreated(true), currentRevision);
    if (start > 0 && start < compactedRevision) {
      sink.send(WatchResponse.newBuilder().setWatchId(id).setCanceled(true).setCompactRevision(compactedRevision)
          .setCancelReason("etcdserver: mvcc: required revision has been compacted"), currentRevision);
      return null;
    }
    Watcher watcher = new Watcher(id, request, start <= 0 ? currentRevision + 1 : start, sink);
    if (start > 0 && start <= currentRevision) {
      for (Map.Entry<Long, List<Event>> revision : history.tailMap(start, true).entrySet()) {
        watcher.deliver(revision.getKey(), revision.getValue());
      }
    }
    watchers.add(watcher);
    return watcher;
  }

  /** Delivers one applied revision. Called under the state machine's write lock. */
  public void publish(long revision, List<Event> events) {
    for (Watcher watcher : watchers) {
      watcher.deliver(revision, events);
    }
  }

  /**
   * Brings every watcher up to a state that replaced the old one wholesale (an
   * installed snapshot): each gets the events it has not seen yet, or, if those
   * were compacted away, is canceled with the compact revision so its client can
   * relist, as etcd does. Called under the state machine's write lock.
   */
  public void catchUp(long currentRevision, long compactedRevision, NavigableMap<Long, List<Event>> history) {
    for (Watcher watcher : watchers) {
      if (watcher.nextRevision() < compactedRevision) {
        watcher.sink().send(WatchResponse.newBuilder().setWatchId(watcher.id()).setCanceled(true)
            .setCompactRevision(compactedRevision)
            .setCancelReason("etcdserver: mvcc: required revision has been compacted"), currentRevision);
        cancel(watcher);
        continue;
      }
      for (Map.Entry<Long, List<Event>> revision : history.tailMap(watcher.nextRevision(), true).entrySet()) {
        watcher.deliver(revision.getKey(), revision.getValue());
      }
    }
  }

  public void cancel(Watcher watcher) {
    watcher.cancel();
    watchers.remove(watcher);
  }

  /** Sends a progress notice to every watcher that asked for them. Called under the read lock. */
  public void progress(long currentRevision) {
    for (Watcher watcher : watchers) {
      if (watcher.wantsProgressNotify() && !watcher.isCanceled()) {
        watcher.sink().send(WatchResponse.newBuilder().setWatchId(watcher.id()), currentRevision);
      }
    }
  }

  public int size() {
    return watchers.size();
  }
}
