package io.berth.store.server;

import com.google.protobuf.MessageLite;
import io.berth.store.command.StoreResult;
import io.berth.store.mvcc.StoreException;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Group commit, for proposals and for linearizable reads. While
 * {@code maxInFlight} requests are on their way through Raft, new ones wait, and
 * the next free slot carries all that have gathered (up to {@code maxBatchBytes})
 * as one batch; the batch's {@code ResultBatch} is split back into one result
 * each. A lone request is sent as it is, so an idle store adds no delay.
 *
 * <ul>
 *   <li>Proposals: one log entry (one RPC, one log record, one reply) carries many
 *       commands, as etcd's raft shares those costs across the proposals of one
 *       Ready. Each command still gets its own revision.</li>
 *   <li>Linearizable reads: one ReadIndex round serves every read that was waiting
 *       when it started, as etcd's linearizable read loop does; a read that arrives
 *       during a round waits for the next one, so it never sees a state older than
 *       its own start.</li>
 * </ul>
 *
 * <p>Replies are handled on {@code callbacks}, never on the thread that completes
 * a Raft request: that is often Ratis' state machine updater, and sending the next
 * batch from it (a read waits for that very thread to apply) would deadlock it,
 * while answering clients from it would slow every apply.
 */
final class RequestBatcher<T extends MessageLite> {
  private record Pending<T>(T request, int bytes, CompletableFuture<StoreResult> result) {}

  private final Function<T, CompletableFuture<StoreResult>> sender;
  private final Function<List<T>, T> combine;
  private final Executor callbacks;
  private final int maxInFlight;
  private final int maxBatchBytes;
  private final ArrayDeque<Pending<T>> waiting = new ArrayDeque<>();
  private int inFlight;

  RequestBatcher(Function<T, CompletableFuture<StoreResult>> sender, Function<List<T>, T> combine, Executor callbacks,
      int maxInFlight, int maxBatchBytes) {
    this.sender = sender;
    this.combine = combine;
    this.callbacks = callbacks;
    this.maxInFlight = maxInFlight;
    this.maxBatchBytes = maxBatchBytes;
  }

  CompletableFuture<StoreResult> submit(T request) {
    Pending<T> pending = new Pending<>(request, request.getSerializedSize(), new CompletableFuture<>());
    synchronized (this) {
      waiting.add(pending);
    }
    sendWhileSlotsFree();
    return pending.result();
  }

  private void sendWhileSlotsFree() {
    while (true) {
      List<Pending<T>> batch = takeBatch();
      if (batch == null) {
        return;
      }
      send(batch);
    }
  }

  private synchronized List<Pending<T>> takeBatch() {
    if (inFlight >= maxInFlight || waiting.isEmpty()) {
      return null;
    }
    List<Pending<T>> batch = new ArrayList<>();
    int bytes = 0;
    while (!waiting.isEmpty() && (batch.isEmpty() || bytes + waiting.peek().bytes() <= maxBatchBytes)) {
      Pending<T> next = waiting.poll();
      bytes += next.bytes();
      batch.add(next);
    }
    inFlight++;
    return batch;
  }

  private void send(List<Pending<T>> batch) {
    T entry = batch.size() == 1 ? batch.get(0).request()
        : combine.apply(batch.stream().map(Pending::request).toList());
    CompletableFuture<StoreResult> sent;
    try {
      sent = sender.apply(entry);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenCompleteAsync((result, error) -> {
      synchronized (this) {
        inFlight--;
      }
      if (error != null) {
        batch.forEach(p -> p.result().completeExceptionally(error));
      } else if (batch.size() == 1) {
        batch.get(0).result().complete(result);
      } else {
        distribute(batch, result);
      }
      sendWhileSlotsFree();
    }, callbacks);
  }

  private static <R> void distribute(List<Pending<R>> batch, StoreResult result) {
    List<StoreResult> results = result.getBatch().getResultsList();
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<StoreResult> future = batch.get(i).result();
      if (i >= results.size()) {
        future.completeExceptionally(new StoreException(Status.Code.INTERNAL, "etcdserver: batch result missing"));
      } else if (results.get(i).hasError()) {
        StoreResult failed = results.get(i);
        future.completeExceptionally(new StoreException(
            Status.fromCodeValue(failed.getError().getCode()).getCode(), failed.getError().getMessage()));
      } else {
        future.complete(results.get(i));
      }
    }
  }
}
