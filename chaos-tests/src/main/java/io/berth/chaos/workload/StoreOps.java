package io.berth.chaos.workload;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The few etcd v3 calls the store workloads make, with values as decimal strings, and the rule
 * that decides what a failed call means for the history.
 */
final class StoreOps {
  private final ManagedChannel channel;
  private final Duration timeout;

  StoreOps(ManagedChannel channel, Duration timeout) {
    this.channel = channel;
    this.timeout = timeout;
  }

  private KVGrpc.KVBlockingStub kv() {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A linearizable read of one key: its value, or null when absent. */
  Long read(String key) {
    RangeResponse response = kv().range(RangeRequest.newBuilder().setKey(bytes(key)).build());
    return response.getKvsCount() == 0 ? null : Long.parseLong(response.getKvs(0).getValue().toStringUtf8());
  }

  /** Writes a value; returns the store revision of the write. */
  long write(String key, long value) {
    return kv().put(put(key, value)).getHeader().getRevision();
  }

  /** Deletes a key (a no-op for an absent one, which makes no event). */
  void delete(String key) {
    kv().deleteRange(io.etcd.jetcd.api.DeleteRangeRequest.newBuilder().setKey(bytes(key)).build());
  }

  /** Sets the key to {@code value} only if it holds {@code expected}; true when it swapped. */
  boolean compareAndSet(String key, long expected, long value) {
    TxnResponse response = kv().txn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(bytes(Long.toString(expected))))
        .addSuccess(RequestOp.newBuilder().setRequestPut(put(key, value)))
        .build());
    return response.getSucceeded();
  }

  /** Every value under a prefix, with a linearizable read. */
  List<Long> readPrefix(String prefix) {
    RangeResponse response = kv().range(RangeRequest.newBuilder().setKey(bytes(prefix))
        .setRangeEnd(prefixEnd(prefix)).build());
    List<Long> values = new ArrayList<>();
    for (KeyValue kv : response.getKvsList()) {
      values.add(Long.parseLong(kv.getValue().toStringUtf8()));
    }
    return values;
  }

  /** The store's current revision, as a linearizable read reports it. */
  long revision() {
    return kv().range(RangeRequest.newBuilder().setKey(bytes("\0")).setCountOnly(true).build())
        .getHeader().getRevision();
  }

  /**
   * Whether a write that failed with this error certainly did not happen. Only a refused
   * connection proves it: the request never reached a server. Anything else (a deadline, a
   * reset stream, a leader change reported by the server) may have come after the proposal
   * entered the log, so the write is indeterminate.
   */
  static boolean certainlyNotApplied(StatusRuntimeException e) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("Connection refused")) {
        return true;
      }
    }
    return false;
  }

  static String describe(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return e.getStatus().getCode() + (description == null ? "" : ": " + description);
  }

  private static PutRequest put(String key, long value) {
    return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(Long.toString(value))).build();
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static ByteString prefixEnd(String prefix) {
    byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    end[end.length - 1]++;
    return ByteString.copyFrom(end);
  }
}
