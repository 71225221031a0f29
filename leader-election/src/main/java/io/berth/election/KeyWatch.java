package io.berth.election;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * One store watch that waits for the first change to a key (or a prefix) from a revision
 * on. The future it returns completes when such a change happens, and also when the watch
 * fails or is cancelled (an endpoint died, history was compacted): either way the caller
 * must look at the store again, so both mean "re-read". Cancelling the future closes the watch.
 */
final class KeyWatch implements StreamObserver<WatchResponse> {
  private final StoreEndpoints store;
  private final ManagedChannel channel;
  private final boolean deletesOnly;
  private final CompletableFuture<Void> changed = new CompletableFuture<>();
  private final ClientCallStreamObserver<WatchRequest> requests;

  private KeyWatch(StoreEndpoints store, boolean deletesOnly) {
    this.store = store;
    this.channel = store.current();
    this.deletesOnly = deletesOnly;
    this.requests = (ClientCallStreamObserver<WatchRequest>) WatchGrpc.newStub(channel).watch(this);
    changed.whenComplete((v, e) -> requests.cancel("watch no longer needed", null));
  }

  /** Completes when {@code key} is deleted at or after {@code fromRevision}, or the watch must be redone. */
  static CompletableFuture<Void> deletion(StoreEndpoints store, ByteString key, long fromRevision) {
    KeyWatch watch = new KeyWatch(store, true);
    watch.requests.onNext(request(key, ByteString.EMPTY, fromRevision));
    return watch.changed;
  }

  /** Completes on any change under {@code prefix} at or after {@code fromRevision}, or when the watch must be redone. */
  static CompletableFuture<Void> anyChange(StoreEndpoints store, ByteString prefix, long fromRevision) {
    KeyWatch watch = new KeyWatch(store, false);
    watch.requests.onNext(request(prefix, Keys.prefixEnd(prefix), fromRevision));
    return watch.changed;
  }

  private static WatchRequest request(ByteString key, ByteString rangeEnd, long fromRevision) {
    return WatchRequest.newBuilder()
        .setCreateRequest(WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd).setStartRevision(fromRevision))
        .build();
  }

  @Override
  public void onNext(WatchResponse response) {
    if (response.getCanceled() || response.getCompactRevision() > 0) {
      changed.complete(null);
      return;
    }
    for (Event event : response.getEventsList()) {
      if (!deletesOnly || event.getType() == Event.EventType.DELETE) {
        changed.complete(null);
        return;
      }
    }
  }

  @Override
  public void onError(Throwable t) {
    if (!changed.isDone() && StoreEndpoints.isEndpointFailure(t)) {
      store.failed(channel, t);
    }
    changed.complete(null);
  }

  @Override
  public void onCompleted() {
    changed.complete(null);
  }
}
