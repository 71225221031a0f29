package io.berth.store.kv;

import com.google.protobuf.ByteString;
import io.berth.store.mvcc.KeyRange;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that depend only on the request itself, made before a write is proposed
 * so that a bad request never reaches the log, with etcd's error texts.
 */
public final class RequestChecks {
  /** etcd's default --max-txn-ops. */
  public static final int MAX_TXN_OPS = 128;

  private RequestChecks() {}

  public static void checkRange(RangeRequest r) {
    requireKey(r.getKey());
  }

  public static void checkPut(PutRequest r) {
    requireKey(r.getKey());
    if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
      throw StoreException.valueProvided();
    }
    if (r.getIgnoreLease() && r.getLease() != 0) {
      throw StoreException.leaseProvided();
    }
  }

  public static void checkDelete(DeleteRangeRequest r) {
    requireKey(r.getKey());
  }

  public static void checkTxn(TxnRequest txn) {
    if (txn.getCompareCount() > MAX_TXN_OPS || txn.getSuccessCount() > MAX_TXN_OPS
        || txn.getFailureCount() > MAX_TXN_OPS) {
      throw StoreException.tooManyOps(MAX_TXN_OPS);
    }
    txn.getCompareList().forEach(c -> requireKey(c.getKey()));
    checkOps(txn.getSuccessList());
    checkOps(txn.getFailureList());
    checkIntervals(txn.getSuccessList());
    checkIntervals(txn.getFailureList());
  }

  private static void checkOps(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> checkRange(op.getRequestRange());
        case REQUEST_PUT -> checkPut(op.getRequestPut());
        case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
        case REQUEST_TXN -> checkTxn(op.getRequestTxn());
        default -> throw StoreException.keyNotFound(); // etcd's answer to an empty op
      }
    }
  }

  private static void requireKey(ByteString key) {
    if (key.isEmpty()) {
      throw StoreException.keyNotProvided();
    }
  }

  /** The keys one branch puts and the ranges it deletes, nested txns included. */
  private record Writes(Set<ByteString> puts, List<KeyRange> deletes) {}

  /**
   * A key may be written at most once on any path through a txn: two puts of the
   * same key, or a put inside a range the same path deletes, is "duplicate key".
   * The success and failure branches of a nested txn exclude each other, so they
   * may put the same key.
   */
  private static Writes checkIntervals(List<RequestOp> ops) {
    List<KeyRange> deletes = new ArrayList<>();
    for (RequestOp op : ops) {
      if (op.hasRequestDeleteRange()) {
        DeleteRangeRequest d = op.getRequestDeleteRange();
        deletes.add(KeyRange.of(d.getKey(), d.getRangeEnd()));
      }
    }
    Set<ByteString> puts = new HashSet<>();
    for (RequestOp op : ops) {
      if (!op.hasRequestTxn()) {
        continue;
      }
      Writes then = checkIntervals(op.getRequestTxn().getSuccessList());
      Writes otherwise = checkIntervals(op.getRequestTxn().getFailureList());
      for (ByteString key : then.puts()) {
        if (puts.contains(key) || deletesContain(deletes, key)) {
          throw StoreException.duplicateKey();
        }
        puts.add(key);
      }
      for (ByteString key : otherwise.puts()) {
        if ((puts.contains(key) && !then.puts().contains(key)) || deletesContain(deletes, key)) {
          throw StoreException.duplicateKey();
        }
        puts.add(key);
      }
      deletes.addAll(then.deletes());
      deletes.addAll(otherwise.deletes());
    }
    for (RequestOp op : ops) {
      if (!op.hasRequestPut()) {
        continue;
      }
      ByteString key = op.getRequestPut().getKey();
      if (puts.contains(key) || deletesContain(deletes, key)) {
        throw StoreException.duplicateKey();
      }
      puts.add(key);
    }
    return new Writes(puts, deletes);
  }

  private static boolean deletesContain(List<KeyRange> deletes, ByteString key) {
    for (KeyRange range : deletes) {
      if (range.contains(key)) {
        return true;
      }
    }
    return false;
  }
}
