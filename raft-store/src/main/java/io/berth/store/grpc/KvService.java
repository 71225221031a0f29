package io.berth.store.grpc;

import com.google.protobuf.MessageLite;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreQuery;
import io.berth.store.command.StoreResult;
import io.berth.store.kv.RequestChecks;
import io.berth.store.mvcc.StoreException;
import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's KV service. Writes are checked (size, key, txn shape, quota) before
 * they are proposed, so a bad request never reaches the log. Reads are
 * linearizable unless the request says serializable.
 */
public final class KvService extends KVGrpc.KVImplBase {
  private final StoreNode node;
  private final Replies replies;
  private final long maxRequestBytes;
  private final long quotaBytes;

  public KvService(StoreNode node, long maxRequestBytes, long quotaBytes) {
    this.node = node;
    this.replies = new Replies(node);
    this.maxRequestBytes = maxRequestBytes;
    this.quotaBytes = quotaBytes;
  }

  @Override
  public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
    try {
      checkSize(request);
      RequestChecks.checkRange(request);
    } catch (StoreException e) {
      observer.onError(Replies.status(e));
      return;
    }
    if (request.getSerializable()) {
      replies.replyNow(() -> withHeader(node.readLocal(s -> s.range(request))), observer);
      return;
    }
    StoreQuery query = StoreQuery.newBuilder().setRange(request).build();
    // One key is a small answer: the leader gives it at once, where this replica's own
    // ReadIndex read would wait for the next heartbeat after a write (StoreNode).
    boolean oneKey = request.getRangeEnd().isEmpty();
    replies.reply(oneKey ? node.readLinearizableAtLeader(query) : node.readLinearizable(query),
        result -> withHeader(result.getRange()), observer);
  }

  private RangeResponse withHeader(RangeResponse r) {
    return r.toBuilder().setHeader(replies.header(r.getHeader())).build();
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> observer) {
    propose(() -> {
      checkSize(request);
      RequestChecks.checkPut(request);
      checkQuota(request.getKey().size() + request.getValue().size());
      return StoreCommand.newBuilder().setPut(request).build();
    }, r -> r.getPut().toBuilder().setHeader(replies.header(r.getPut().getHeader())).build(), observer);
  }

  @Override
  public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> observer) {
    propose(() -> {
      checkSize(request);
      RequestChecks.checkDelete(request);
      return StoreCommand.newBuilder().setDeleteRange(request).build();
    }, r -> r.getDeleteRange().toBuilder().setHeader(replies.header(r.getDeleteRange().getHeader())).build(), observer);
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
    propose(() -> {
      checkSize(request);
      RequestChecks.checkTxn(request);
      if (writes(request)) {
        checkQuota(request.getSerializedSize());
      }
      return StoreCommand.newBuilder().setTxn(request).build();
    }, r -> r.getTxn().toBuilder().setHeader(replies.header(r.getTxn().getHeader())).build(), observer);
  }

  @Override
  public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
    propose(() -> StoreCommand.newBuilder().setCompact(request).build(),
        r -> r.getCompact().toBuilder().setHeader(replies.header(r.getCompact().getHeader())).build(), observer);
  }

  private <R> void propose(java.util.function.Supplier<StoreCommand> command,
      java.util.function.Function<StoreResult, R> toResponse, StreamObserver<R> observer) {
    CompletableFuture<StoreResult> result;
    try {
      result = node.propose(command.get());
    } catch (StoreException e) {
      observer.onError(Replies.status(e));
      return;
    }
    replies.reply(result, toResponse, observer);
  }

  private void checkSize(MessageLite request) {
    if (request.getSerializedSize() > maxRequestBytes) {
      throw StoreException.requestTooLarge();
    }
  }

  /** Like etcd, the quota is checked before proposing, so replicas never disagree while applying. */
  private void checkQuota(long addedBytes) {
    long used = node.readLocal(s -> s.mvcc().sizeBytes());
    if (used + addedBytes > quotaBytes) {
      throw StoreException.noSpace();
    }
  }

  private static boolean writes(TxnRequest txn) {
    for (RequestOp op : txn.getSuccessList()) {
      if (!op.hasRequestRange()) {
        return true;
      }
    }
    for (RequestOp op : txn.getFailureList()) {
      if (!op.hasRequestRange()) {
        return true;
      }
    }
    return false;
  }
}
