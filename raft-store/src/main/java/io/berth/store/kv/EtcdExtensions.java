package io.berth.store.kv;

import io.etcd.jetcd.api.Compare;
import java.util.List;

/**
 * Parts of etcd's API newer than the rpc.proto copy in jetcd-grpc, read from a
 * message's unknown fields rather than by forking the proto: the LEASE compare
 * target (enum value 4) and its operand {@code int64 lease = 8} in Compare's
 * target_union, both as etcd 3.3+ defines them.
 */
public final class EtcdExtensions {
  public static final int COMPARE_TARGET_LEASE = 4;
  private static final int COMPARE_LEASE_FIELD = 8;

  private EtcdExtensions() {}

  public static long compareLease(Compare compare) {
    if (!compare.getUnknownFields().hasField(COMPARE_LEASE_FIELD)) {
      return 0;
    }
    List<Long> values = compare.getUnknownFields().getField(COMPARE_LEASE_FIELD).getVarintList();
    return values.isEmpty() ? 0 : values.get(values.size() - 1);
  }
}
