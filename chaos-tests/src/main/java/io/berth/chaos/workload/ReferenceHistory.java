package io.berth.chaos.workload;

import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import io.berth.chaos.history.StoreEvent;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The store's own history of a prefix after a run: one watch from the first revision of
 * interest on a healthy replica, read until a progress response shows it has caught up with a
 * revision taken (linearizably) after the writers stopped. The store does not compact during
 * a run, so the whole history is still there.
 */
final class ReferenceHistory {
  private ReferenceHistory() {}

  static List<StoreEvent> read(ChaosCluster cluster, String prefix, long fromRevision) {
    IllegalStateException last = null;
    for (Replica replica : cluster.replicas()) {
      if (!replica.isMember() || !replica.ready()) {
        continue;
      }
      try {
        return readFrom(replica, prefix, fromRevision);
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last != null ? last : new IllegalStateException("no replica serves to read the reference history");
  }

  private static List<StoreEvent> readFrom(Replica replica, String prefix, long fromRevision) {
    long target = new StoreOps(replica.channel(), Duration.ofSeconds(10)).revision();
    List<StoreEvent> events = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<WatchRequest>[] requests = new StreamObserver[1];
    requests[0] = WatchGrpc.newStub(replica.channel()).watch(new StreamObserver<>() {
      @Override
      public synchronized void onNext(WatchResponse response) {
        for (Event event : response.getEventsList()) {
          if (event.getKv().getModRevision() <= target) {
            events.add(new StoreEvent(event.getKv().getModRevision(), event.getKv().getKey().toStringUtf8(),
                event.getType() == Event.EventType.DELETE ? null
                    : Long.parseLong(event.getKv().getValue().toStringUtf8())));
          }
        }
        // A progress response (no events, not the creation) says every event up to its
        // revision has been sent on this stream.
        boolean progress = response.getEventsCount() == 0 && !response.getCreated();
        if ((progress && response.getHeader().getRevision() >= target)
            || (!events.isEmpty() && events.get(events.size() - 1).revision() >= target)) {
          done.complete(null);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.completeExceptionally(new IllegalStateException("watch stream closed"));
      }
    });
    requests[0].onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(StoreOps.bytes(prefix)).setRangeEnd(StoreOps.prefixEnd(prefix)).setStartRevision(fromRevision))
        .build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      while (!done.isDone()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the reference watch on " + replica.name() + " did not reach revision "
              + target + " within 30 s");
        }
        requests[0].onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance())
            .build());
        try {
          done.get(500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // ask again
        }
      }
      done.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CompletionException e) {
      throw new IllegalStateException("the reference watch on " + replica.name() + " failed: " + e.getCause(), e);
    } finally {
      requests[0].onCompleted();
    }
    return List.copyOf(events);
  }
}
