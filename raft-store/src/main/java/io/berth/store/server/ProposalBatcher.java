package io.berth.store.server;

import io.berth.store.command.CommandBatch;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreResult;
import io.berth.store.mvcc.StoreException;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Group commit for proposals. While {@code maxInFlight} log entries are on their
 * way through Raft, new commands wait, and the next free slot carries all that
 * have gathered (up to {@code maxBatchBytes}) as one {@link CommandBatch} entry.
 * A lone command is sent as it is, so an idle store adds no delay; under load
 * the per-entry costs of Raft (an RPC, a log record, a reply) are shared, as
 * etcd's raft shares them across the proposals of one Ready.
 *
 * <p>Each command still gets its own result and its own revision.
 */
final class ProposalBatcher {
  private record Pending(StoreCommand command, int bytes, CompletableFuture<StoreResult> result) {}

  private final Function<StoreCommand, CompletableFuture<StoreResult>> sender;
  private final int maxInFlight;
  private final int maxBatchBytes;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int inFlight;

  ProposalBatcher(Function<StoreCommand, CompletableFuture<StoreResult>> sender, int maxInFlight, int maxBatchBytes) {
    this.sender = sender;
    this.maxInFlight = maxInFlight;
    this.maxBatchBytes = maxBatchBytes;
  }

  CompletableFuture<StoreResult> submit(StoreCommand command) {
    Pending pending = new Pending(command, command.getSerializedSize(), new CompletableFuture<>());
    synchronized (this) {
      waiting.add(pending);
    }
    sendWhileSlotsFree();
    return pending.result();
  }

  private void sendWhileSlotsFree() {
    while (true) {
      List<Pending> batch = takeBatch();
      if (batch == null) {
        return;
      }
      send(batch);
    }
  }

  private synchronized List<Pending> takeBatch() {
    if (inFlight >= maxInFlight || waiting.isEmpty()) {
      return null;
    }
    List<Pending> batch = new ArrayList<>();
    int bytes = 0;
    while (!waiting.isEmpty() && (batch.isEmpty() || bytes + waiting.peek().bytes() <= maxBatchBytes)) {
      Pending next = waiting.poll();
      bytes += next.bytes();
      batch.add(next);
    }
    inFlight++;
    return batch;
  }

  private void send(List<Pending> batch) {
    StoreCommand entry = batch.size() == 1 ? batch.get(0).command()
        : StoreCommand.newBuilder().setBatch(CommandBatch.newBuilder()
            .addAllCommands(batch.stream().map(Pending::command).toList())).build();
    CompletableFuture<StoreResult> sent;
    try {
      sent = sender.apply(entry);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((result, error) -> {
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
    });
  }

  private static void distribute(List<Pending> batch, StoreResult result) {
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
