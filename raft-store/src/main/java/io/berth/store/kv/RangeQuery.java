package io.berth.store.kv;

import io.berth.store.mvcc.KeyRange;
import io.berth.store.mvcc.KvReader;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Carries out a RangeRequest with etcd's rules: {@code count} is every key in
 * the range whatever the limit and filters; results come in key order unless a
 * sort is asked for (a sort target other than KEY with no order means
 * ascending); {@code more} says the limit cut the results.
 */
public final class RangeQuery {
  private RangeQuery() {}

  public static RangeResponse.Builder execute(RangeRequest request, KvReader reader) {
    if (request.getKey().isEmpty()) {
      throw StoreException.keyNotProvided();
    }
    KeyRange range = KeyRange.of(request.getKey(), request.getRangeEnd());
    long limit = request.getLimit();
    boolean filtered = request.getMinModRevision() != 0 || request.getMaxModRevision() != 0
        || request.getMinCreateRevision() != 0 || request.getMaxCreateRevision() != 0;
    RangeRequest.SortOrder order = request.getSortOrder();
    if (request.getSortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
      order = RangeRequest.SortOrder.ASCEND;
    }
    boolean needsAll = filtered || (order != RangeRequest.SortOrder.NONE && order != RangeRequest.SortOrder.ASCEND)
        || request.getSortTarget() != RangeRequest.SortTarget.KEY;

    List<KeyValue> kvs = new ArrayList<>();
    long[] count = {0};
    reader.scan(range, kv -> {
      count[0]++;
      if (!request.getCountOnly() && (needsAll || limit <= 0 || kvs.size() <= limit)) {
        kvs.add(kv);
      }
      return true;
    });

    if (filtered) {
      kvs.removeIf(kv -> !passesFilters(request, kv));
    }
    if (order != RangeRequest.SortOrder.NONE) {
      Comparator<KeyValue> comparator = comparatorFor(request.getSortTarget());
      if (order == RangeRequest.SortOrder.DESCEND) {
        comparator = comparator.reversed();
      }
      kvs.sort(comparator);
    }

    RangeResponse.Builder response = RangeResponse.newBuilder().setCount(count[0]);
    if (request.getCountOnly()) {
      return response;
    }
    List<KeyValue> page = kvs;
    if (limit > 0 && kvs.size() > limit) {
      page = kvs.subList(0, (int) limit);
      response.setMore(true);
    }
    for (KeyValue kv : page) {
      response.addKvs(request.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
    }
    return response;
  }

  private static boolean passesFilters(RangeRequest r, KeyValue kv) {
    return (r.getMinModRevision() == 0 || kv.getModRevision() >= r.getMinModRevision())
        && (r.getMaxModRevision() == 0 || kv.getModRevision() <= r.getMaxModRevision())
        && (r.getMinCreateRevision() == 0 || kv.getCreateRevision() >= r.getMinCreateRevision())
        && (r.getMaxCreateRevision() == 0 || kv.getCreateRevision() <= r.getMaxCreateRevision());
  }

  private static Comparator<KeyValue> comparatorFor(RangeRequest.SortTarget target) {
    return switch (target) {
      case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
      case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
      case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
      case VALUE -> Comparator.comparing(KeyValue::getValue, KeyRange.ORDER);
      default -> Comparator.comparing(KeyValue::getKey, KeyRange.ORDER);
    };
  }
}
