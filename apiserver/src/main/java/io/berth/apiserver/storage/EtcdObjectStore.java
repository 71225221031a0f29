package io.berth.apiserver.storage;

import com.google.protobuf.ByteString;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreQuery;
import io.berth.store.command.StoreResult;
import io.berth.store.mvcc.StoreException;
import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link ObjectStore} over one replica's {@link StoreNode}, in etcd requests, as
 * kube-apiserver's etcd3 storage does it: every conditional write is one Txn whose
 * compare carries the precondition, so the check and the write are one Raft entry.
 * When a Txn's compare fails, its else branch reads the key, so the caller learns in
 * the same round whether the key is missing or merely changed.
 */
public final class EtcdObjectStore implements ObjectStore {
  private final StoreNode node;

  public EtcdObjectStore(StoreNode node) {
    this.node = node;
  }

  @Override
  public CompletableFuture<Optional<StoredObject>> get(String key) {
    RangeRequest range = RangeRequest.newBuilder().setKey(bytes(key)).build();
    // One object: asked of the leader, so a read right after a write need not wait for
    // this replica to hear that the write committed (StoreNode.readLinearizableAtLeader).
    return translateErrors(node.readLinearizableAtLeader(StoreQuery.newBuilder().setRange(range).build()))
        .thenApply(StoreResult::getRange).thenApply(r -> r.getKvsCount() == 0 ? Optional.empty() : Optional.of(toObject(r.getKvs(0))));
  }

  @Override
  public CompletableFuture<StoredList> list(String prefix, String fromKey, long revision, int limit) {
    ByteString start = fromKey == null || fromKey.isEmpty() ? bytes(prefix) : bytes(fromKey);
    RangeRequest range = RangeRequest.newBuilder()
        .setKey(start)
        .setRangeEnd(prefixEnd(bytes(prefix)))
        .setRevision(revision)
        .setLimit(Math.max(0, limit))
        .build();
    return read(range).thenApply(r -> {
      List<StoredObject> items = new ArrayList<>(r.getKvsCount());
      r.getKvsList().forEach(kv -> items.add(toObject(kv)));
      // Read at the latest revision, the list is as of the store's revision then; read at
      // an older one, it is as of that one. etcd's count is every key from the start on.
      return new StoredList(items, revision > 0 ? revision : r.getHeader().getRevision(), r.getMore(),
          Math.max(0, r.getCount() - r.getKvsCount()));
    });
  }

  @Override
  public CompletableFuture<StoredObject> create(String key, byte[] value, Fence fence) {
    TxnRequest.Builder txn = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.CREATE)
            .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
        .addSuccess(put(key, value))
        .addFailure(rangeOf(key));
    fence(txn, fence);
    return txn(txn.build()).thenApply(r -> {
      if (!r.getSucceeded()) {
        throw fenceFailure(r, fence).orElseGet(() ->
            new StorageException(StorageException.Reason.KEY_EXISTS, key, key + " already exists"));
      }
      return new StoredObject(key, value, r.getHeader().getRevision());
    });
  }

  @Override
  public CompletableFuture<StoredObject> update(String key, byte[] value, long expectedRevision, Fence fence) {
    TxnRequest.Builder txn = TxnRequest.newBuilder()
        .addCompare(modRevisionIs(key, expectedRevision))
        .addSuccess(put(key, value))
        .addFailure(rangeOf(key));
    fence(txn, fence);
    return txn(txn.build()).thenApply(r -> {
      if (!r.getSucceeded()) {
        throw fenceFailure(r, fence).orElseGet(() -> preconditionFailure(key, r));
      }
      return new StoredObject(key, value, r.getHeader().getRevision());
    });
  }

  @Override
  public CompletableFuture<StoredObject> delete(String key, long expectedRevision, Fence fence) {
    TxnRequest.Builder txn = TxnRequest.newBuilder()
        .addCompare(modRevisionIs(key, expectedRevision))
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
            DeleteRangeRequest.newBuilder().setKey(bytes(key)).setPrevKv(true)))
        .addFailure(rangeOf(key));
    fence(txn, fence);
    return txn(txn.build()).thenApply(r -> {
      if (!r.getSucceeded()) {
        throw fenceFailure(r, fence).orElseGet(() -> preconditionFailure(key, r));
      }
      var deleted = r.getResponses(0).getResponseDeleteRange();
      if (deleted.getPrevKvsCount() == 0) {
        // The compare held, so the key existed at that revision; a missing prev_kv would be a store bug.
        throw new StorageException(StorageException.Reason.INTERNAL, key, "delete of " + key + " returned no object");
      }
      return toObject(deleted.getPrevKvs(0));
    });
  }

  /**
   * Adds the fence to a txn: one more compare (the campaign key still has its
   * create_revision), and, in the failure branch, a read of the campaign key, so a
   * failed txn tells a lost leadership from a changed object.
   */
  private static void fence(TxnRequest.Builder txn, Fence fence) {
    if (fence == null) {
      return;
    }
    txn.addCompare(Compare.newBuilder().setKey(bytes(fence.key())).setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(fence.createRevision()));
    txn.addFailure(rangeOf(fence.key()));
  }

  /** FENCED, if the failed txn's read of the campaign key shows the fence no longer holds. */
  private static java.util.Optional<StorageException> fenceFailure(TxnResponse r, Fence fence) {
    if (fence == null) {
      return java.util.Optional.empty();
    }
    var campaign = r.getResponses(r.getResponsesCount() - 1).getResponseRange();
    boolean holds = campaign.getKvsCount() == 1 && campaign.getKvs(0).getCreateRevision() == fence.createRevision();
    return holds ? java.util.Optional.empty() : java.util.Optional.of(new StorageException(
        StorageException.Reason.FENCED, fence.key(), "the fencing token " + fence.createRevision() + ":"
            + fence.key() + " is no longer current: its holder has lost the leadership it was given for"));
  }

  /** Tells a missing key from a changed one, using the range the failed Txn's else branch read. */
  private static StorageException preconditionFailure(String key, TxnResponse r) {
    boolean missing = r.getResponsesCount() == 0 || r.getResponses(0).getResponseRange().getKvsCount() == 0;
    return missing
        ? new StorageException(StorageException.Reason.KEY_NOT_FOUND, key, key + " not found")
        : new StorageException(StorageException.Reason.REVISION_CONFLICT, key, key + " has been modified");
  }

  private CompletableFuture<RangeResponse> read(RangeRequest range) {
    return translateErrors(node.readLinearizable(StoreQuery.newBuilder().setRange(range).build()))
        .thenApply(StoreResult::getRange);
  }

  private CompletableFuture<TxnResponse> txn(TxnRequest txn) {
    return translateErrors(node.propose(StoreCommand.newBuilder().setTxn(txn).build())).thenApply(StoreResult::getTxn);
  }

  /** The store's errors as {@link StorageException}s. */
  static CompletableFuture<StoreResult> translateErrors(CompletableFuture<StoreResult> call) {
    return call.exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof StoreException se) {
        StorageException.Reason reason = switch (se.code()) {
          case UNAVAILABLE -> StorageException.Reason.UNAVAILABLE;
          case OUT_OF_RANGE -> se.getMessage().contains("future")
              ? StorageException.Reason.FUTURE_REVISION : StorageException.Reason.COMPACTED;
          default -> StorageException.Reason.INTERNAL;
        };
        throw new StorageException(reason, null, se.getMessage());
      }
      throw e instanceof CompletionException ce ? ce : new CompletionException(e);
    });
  }

  private static Compare modRevisionIs(String key, long revision) {
    return Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.MOD)
        .setResult(Compare.CompareResult.EQUAL).setModRevision(revision).build();
  }

  private static RequestOp put(String key, byte[] value) {
    return RequestOp.newBuilder()
        .setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(ByteString.copyFrom(value)))
        .build();
  }

  private static RequestOp rangeOf(String key) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(key))).build();
  }

  private static StoredObject toObject(KeyValue kv) {
    return new StoredObject(kv.getKey().toStringUtf8(), kv.getValue().toByteArray(), kv.getModRevision());
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The smallest key greater than every key starting with {@code prefix} (etcd's prefix range end). */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }
}
