package io.berth.store.statemachine;

import io.berth.store.kv.Compares;
import io.berth.store.mvcc.KvReader;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The branches a txn takes, nested txns included, all decided against the state
 * before the txn runs (as etcd decides them), so that every put and read on the
 * path can be checked before anything is written.
 */
record TxnPath(boolean succeeded, List<TxnPath> nestedPaths) {

  static TxnPath choose(TxnRequest txn, KvReader before) {
    boolean succeeded = Compares.allHold(txn.getCompareList(), before);
    List<TxnPath> nested = new ArrayList<>();
    for (RequestOp op : succeeded ? txn.getSuccessList() : txn.getFailureList()) {
      if (op.hasRequestTxn()) {
        nested.add(choose(op.getRequestTxn(), before));
      }
    }
    return new TxnPath(succeeded, nested);
  }

  List<RequestOp> ops(TxnRequest txn) {
    return succeeded ? txn.getSuccessList() : txn.getFailureList();
  }

  TxnPath nested(int i) {
    return nestedPaths.get(i);
  }

  /** Visits the puts, ranges and deletes on this path, nested txns' included. */
  void forEachOp(TxnRequest txn, Consumer<RequestOp> consumer) {
    int nested = 0;
    for (RequestOp op : ops(txn)) {
      if (op.hasRequestTxn()) {
        nestedPaths.get(nested++).forEachOp(op.getRequestTxn(), consumer);
      } else {
        consumer.accept(op);
      }
    }
  }
}
