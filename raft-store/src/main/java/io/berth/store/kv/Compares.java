package io.berth.store.kv;

import io.berth.store.mvcc.KeyRange;
import io.berth.store.mvcc.KvReader;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KeyValue;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * A Txn's guard. A compare with a range_end holds only if it holds for every key
 * in the range. A missing key compares as a KeyValue of zeros, except that a
 * VALUE compare on a missing key always fails (an empty value and no value
 * cannot be told apart otherwise), as etcd does.
 */
public final class Compares {
  private Compares() {}

  public static boolean allHold(List<Compare> compares, KvReader reader) {
    for (Compare compare : compares) {
      if (!holds(compare, reader)) {
        return false;
      }
    }
    return true;
  }

  static boolean holds(Compare compare, KvReader reader) {
    List<KeyValue> kvs = new ArrayList<>();
    reader.scan(KeyRange.of(compare.getKey(), compare.getRangeEnd()), kv -> kvs.add(kv) || true);
    if (kvs.isEmpty()) {
      return compare.getTargetValue() != Compare.CompareTarget.VALUE_VALUE
          && holdsFor(compare, KeyValue.getDefaultInstance());
    }
    for (KeyValue kv : kvs) {
      if (!holdsFor(compare, kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holdsFor(Compare compare, KeyValue kv) {
    int c = switch (compare.getTargetValue()) {
      case Compare.CompareTarget.VALUE_VALUE -> KeyRange.ORDER.compare(kv.getValue(), compare.getValue());
      case Compare.CompareTarget.VERSION_VALUE -> Long.compare(kv.getVersion(), compare.getVersion());
      case Compare.CompareTarget.CREATE_VALUE -> Long.compare(kv.getCreateRevision(), compare.getCreateRevision());
      case Compare.CompareTarget.MOD_VALUE -> Long.compare(kv.getModRevision(), compare.getModRevision());
      case EtcdExtensions.COMPARE_TARGET_LEASE -> Long.compare(kv.getLease(), EtcdExtensions.compareLease(compare));
      default -> throw unknown("target " + compare.getTargetValue());
    };
    return switch (compare.getResult()) {
      case EQUAL -> c == 0;
      case GREATER -> c > 0;
      case LESS -> c < 0;
      case NOT_EQUAL -> c != 0;
      default -> throw unknown("result " + compare.getResultValue());
    };
  }

  /**
   * A refusal the state machine reports to the client; any other exception
   * would escape the apply loop, and every replica applies the same entry.
   */
  private static StoreException unknown(String what) {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: unknown compare " + what);
  }
}
