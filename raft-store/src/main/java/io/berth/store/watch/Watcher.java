package io.berth.store.watch;

import io.berth.store.mvcc.KeyRange;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.util.List;

/**
 * One watch: a key range, the first revision it wants, its filters, and where
 * its responses go. It sends each revision's matching events as one response,
 * never a revision twice and never one out of order.
 */
public final class Watcher {
  private final long id;
  private final KeyRange range;
  private final boolean noPut;
  private final boolean noDelete;
  private final boolean prevKv;
  private final boolean progressNotify;
  private final WatchSink sink;
  /** The lowest revision this watcher still has to see. */
  private long nextRevision;
  private volatile boolean canceled;

  Watcher(long id, WatchCreateRequest request, long nextRevision, WatchSink sink) {
    this.id = id;
    this.range = KeyRange.of(request.getKey(), request.getRangeEnd());
    this.noPut = request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
    this.noDelete = request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
    this.prevKv = request.getPrevKv();
    this.progressNotify = request.getProgressNotify();
    this.nextRevision = nextRevision;
    this.sink = sink;
  }

  public long id() {
    return id;
  }

  long nextRevision() {
    return nextRevision;
  }

  boolean wantsProgressNotify() {
    return progressNotify;
  }

  boolean isCanceled() {
    return canceled;
  }

  void cancel() {
    canceled = true;
  }

  WatchSink sink() {
    return sink;
  }

  /** Sends the events of one revision that this watcher selects, if any. */
  void deliver(long revision, List<Event> events) {
    if (canceled || revision < nextRevision) {
      return;
    }
    WatchResponse.Builder response = null;
    for (Event event : events) {
      if (!selects(event)) {
        continue;
      }
      if (response == null) {
        response = WatchResponse.newBuilder().setWatchId(id);
      }
      response.addEvents(prevKv || !event.hasPrevKv() ? event : event.toBuilder().clearPrevKv().build());
    }
    nextRevision = revision + 1;
    if (response != null) {
      sink.send(response, revision);
    }
  }

  private boolean selects(Event event) {
    if (event.getType() == Event.EventType.PUT ? noPut : noDelete) {
      return false;
    }
    return range.contains(event.getKv().getKey());
  }
}
