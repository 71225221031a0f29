package io.berth.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The same operations straight on the store's etcd API, shaped as the API server's
 * storage layer sends them (apiserver's EtcdObjectStore): create is a Txn "if
 * create_revision == 0 then put"; get a linearizable Range of one key; list a
 * linearizable prefix Range over the same keys the API's list covers (the very objects
 * it stored); update a Txn "if mod_revision == last then put else range". Creates and
 * updates write under a prefix of their own, with values of a ConfigMap's size, so that
 * they do not feed the API's watch caches.
 */
final class StoreOperations implements OperationSet {
  private final Target target;
  private final String writePrefix;
  private final String readPrefix;
  private final int objects;
  private final ByteString value;
  /** Per client: the mod_revision of its update key after its last write. */
  private final long[] updateRevisions;

  StoreOperations(Target target, BenchNamespaces ns, int objects, long[] updateRevisions) {
    this.target = target;
    this.writePrefix = "/bench-api/" + ns.run() + "/";
    this.readPrefix = ConfigMaps.storagePrefix(ns.read());
    this.objects = objects;
    this.value = ByteString.copyFrom(ConfigMaps.body("same-size-as-a-configmap"));
    this.updateRevisions = updateRevisions;
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public ClosedLoop.AsyncOp create(String row) {
    return (client, seq, done) -> {
      ByteString key = bytes(writePrefix + "create/" + row + "/" + client + "/" + seq);
      TxnRequest txn = TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
              .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
          .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)))
          .build();
      kv(client).txn(txn, replies(done, r -> r.getSucceeded() ? null : new IllegalStateException("key exists")));
    };
  }

  @Override
  public ClosedLoop.AsyncOp get() {
    return (client, seq, done) -> kv(client).range(RangeRequest.newBuilder()
        .setKey(bytes(readPrefix + BenchNamespaces.readName(ThreadLocalRandom.current().nextInt(objects))))
        .build(), Calls.completing(done));
  }

  @Override
  public ClosedLoop.AsyncOp list() {
    RangeRequest range = RangeRequest.newBuilder()
        .setKey(bytes(readPrefix))
        .setRangeEnd(WatchLatency.prefixEnd(bytes(readPrefix)))
        .build();
    return (client, seq, done) -> kv(client).range(range, Calls.completing(done));
  }

  @Override
  public ClosedLoop.AsyncOp update() {
    return (client, seq, done) -> {
      ByteString key = updateKey(client);
      TxnRequest txn = TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.EQUAL).setModRevision(updateRevisions[client]))
          .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)))
          .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
          .build();
      kv(client).txn(txn, replies(done, r -> {
        if (r.getSucceeded()) {
          updateRevisions[client] = r.getHeader().getRevision();
          return null;
        }
        var kvs = r.getResponses(0).getResponseRange().getKvsList();
        updateRevisions[client] = kvs.isEmpty() ? 0 : kvs.get(0).getModRevision();
        return new IllegalStateException("mod_revision changed under the client");
      }));
    };
  }

  /** Writes each client's update key once, before the update rows, and notes its revision. */
  void prepareUpdates(int clients) {
    for (int c = 0; c < clients; c++) {
      var put = target.kvBlocking(c).put(PutRequest.newBuilder().setKey(updateKey(c)).setValue(value).build());
      updateRevisions[c] = put.getHeader().getRevision();
    }
  }

  private ByteString updateKey(int client) {
    return bytes(writePrefix + "update/" + client);
  }

  private KVGrpc.KVStub kv(int client) {
    return target.kv(client).withDeadlineAfter(Workloads.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** Completes {@code done} with the check's verdict on the reply, or with the call's failure. */
  private static <T> StreamObserver<T> replies(Consumer<Throwable> done, java.util.function.Function<T, Throwable> check) {
    return new StreamObserver<>() {
      private Throwable verdict;

      @Override
      public void onNext(T reply) {
        verdict = check.apply(reply);
      }

      @Override
      public void onError(Throwable t) {
        done.accept(t);
      }

      @Override
      public void onCompleted() {
        done.accept(verdict);
      }
    };
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
