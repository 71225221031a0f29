package io.berth.election;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One election over store primitives, the protocol of etcd's concurrency package:
 *
 * <ul>
 *   <li><b>campaign</b>: put {@code <prefix><component>/<lease-id-hex>} attached to the
 *       candidate's session lease, if absent; then wait until no key under the election's
 *       prefix has a lower create_revision, watching only the next-lower key's deletion (so a
 *       departing leader wakes one candidate, not all of them), and the session is certain;
 *   <li><b>leader</b>: the key with the lowest create_revision; its value is the holder's identity;
 *   <li><b>resign</b>: delete the key, if it is still this leadership's;
 *   <li>a leadership ends when its key is deleted (resign, lease revoked or expired).
 * </ul>
 *
 * Blocking calls go to the store through {@link StoreEndpoints}; thread-safe.
 */
public final class Election {
  private static final Logger log = LoggerFactory.getLogger(Election.class);

  private final StoreEndpoints store;
  private final ElectionSettings settings;
  private final String component;
  private final ByteString prefix;

  public Election(StoreEndpoints store, ElectionSettings settings, String component) {
    if (component.isEmpty() || component.contains("/")) {
      throw new IllegalArgumentException("a component name is one path segment: " + component);
    }
    this.store = store;
    this.settings = settings;
    this.component = component;
    this.prefix = ByteString.copyFromUtf8(settings.prefix() + component + "/");
  }

  public String component() {
    return component;
  }

  /** Where this election's campaign keys live, e.g. {@code /berth/elections/berth-scheduler/}. */
  public String prefix() {
    return prefix.toStringUtf8();
  }

  /**
   * Enters the campaign with {@code session}'s lease and blocks until this candidate leads.
   *
   * @return the fencing token of the leadership won
   * @throws SessionEndedException the session ended, or the key was deleted, before winning
   * @throws InterruptedException the wait was interrupted (the key stays until the session ends)
   */
  public FencingToken campaign(Session session, String identity) throws SessionEndedException, InterruptedException {
    FencingToken token = enter(session, identity);
    while (true) {
      if (!session.isAlive()) {
        throw new SessionEndedException("session ended during the campaign: " + session.done().getNow(""));
      }
      TxnResponse check = store.call(channel -> kv(channel).txn(TxnRequest.newBuilder()
          .addCompare(token.compare())
          .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
              .setKey(prefix).setRangeEnd(Keys.prefixEnd(prefix))
              .setMaxCreateRevision(token.revision() - 1)
              .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.DESCEND)
              .setLimit(1)))
          .build()));
      if (!check.getSucceeded()) {
        throw new SessionEndedException("campaign key " + token.key() + " was deleted");
      }
      RangeResponse lower = check.getResponses(0).getResponseRange();
      if (lower.getKvsCount() == 0) {
        if (session.isCertain()) {
          return token;
        }
        // First in line, but the lease may be expiring: lead only once a renewal proves it is not.
        awaitAny(session.nextRenewal(), session.done());
        continue;
      }
      ByteString ahead = lower.getKvs(0).getKey();
      log.debug("{}: waiting for {} to go", token.key(), ahead.toStringUtf8());
      CompletableFuture<Void> deleted = KeyWatch.deletion(store, ahead, check.getHeader().getRevision() + 1);
      try {
        awaitAny(deleted, session.done());
      } finally {
        deleted.cancel(false);
      }
    }
  }

  private static void awaitAny(CompletableFuture<?> a, CompletableFuture<?> b) throws InterruptedException {
    try {
      CompletableFuture.anyOf(a, b).get();
    } catch (ExecutionException e) {
      // Neither future fails; a failed watch completes normally and means "look again".
    }
  }

  /** Puts the campaign key if absent; if present it is this session's, from an earlier attempt, and is kept. */
  private FencingToken enter(Session session, String identity) throws SessionEndedException {
    ByteString key = ByteString.copyFromUtf8(prefix() + Long.toHexString(session.leaseId()));
    TxnResponse put;
    try {
      put = store.call(channel -> kv(channel).txn(TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
              .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
          .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
              .setKey(key).setValue(ByteString.copyFromUtf8(identity)).setLease(session.leaseId())))
          .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
          .build()));
    } catch (StatusRuntimeException e) {
      // The store's word that the lease expired, which the session's keep-alives may not have
      // brought yet (they can be stuck on a replica that lost its leader). Without this the
      // elector would retry the put with the dead lease until a keep-alive answered; found by
      // the chaos harness's election workload under pause-leader + partition-leader.
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        session.lost("the store no longer holds lease " + Long.toHexString(session.leaseId()));
        throw new SessionEndedException(session.done().getNow("lease not found"));
      }
      throw e;
    }
    long revision = put.getSucceeded()
        ? put.getHeader().getRevision()
        : put.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
    return new FencingToken(key.toStringUtf8(), revision);
  }

  /** Deletes the campaign key if it is still {@code token}'s; true if it was. */
  public boolean resign(FencingToken token) {
    TxnResponse response = store.call(channel -> kv(channel).txn(TxnRequest.newBuilder()
        .addCompare(token.compare())
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
            DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(token.key()))))
        .build()));
    return response.getSucceeded();
  }

  /** The current leader, read linearizably; empty when nobody campaigns. */
  public Optional<Leader> leader() {
    RangeResponse first = store.call(channel -> kv(channel).range(firstCandidate()));
    return first.getKvsCount() == 0 ? Optional.empty() : Optional.of(leaderOf(first.getKvs(0)));
  }

  /** True while {@code token}'s key exists with its create_revision. */
  public boolean holds(FencingToken token) {
    RangeResponse found = store.call(channel -> kv(channel).range(
        RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(token.key())).build()));
    return found.getKvsCount() == 1 && found.getKvs(0).getCreateRevision() == token.revision();
  }

  /**
   * Completes when {@code token}'s leadership is over in the store (its key deleted). A
   * virtual thread watches until then, re-reading after any watch failure; cancel the
   * future to stop it.
   */
  public CompletableFuture<Void> ended(FencingToken token) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    Thread.ofVirtual().name("ended-" + token.key()).start(() -> {
      while (!ended.isDone()) {
        try {
          RangeResponse found = store.call(channel -> kv(channel).range(
              RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(token.key())).build()));
          if (found.getKvsCount() == 0 || found.getKvs(0).getCreateRevision() != token.revision()) {
            ended.complete(null);
            return;
          }
          awaitOrCancel(KeyWatch.deletion(store, ByteString.copyFromUtf8(token.key()),
              found.getHeader().getRevision() + 1), ended);
        } catch (RuntimeException e) {
          log.debug("{}: watching the key failed ({}); again shortly", token.key(), e.toString());
          pause(ended);
        }
      }
    });
    return ended;
  }

  /**
   * Calls {@code listener} with the leader now, then on every change of leader (empty: no
   * candidate), from a virtual thread, until the returned handle is closed.
   */
  public AutoCloseable observe(Consumer<Optional<Leader>> listener) {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread.ofVirtual().name("observe-" + component).start(() -> {
      Optional<Leader> last = null;
      while (!closed.isDone()) {
        try {
          RangeResponse first = store.call(channel -> kv(channel).range(firstCandidate()));
          Optional<Leader> now = first.getKvsCount() == 0 ? Optional.empty() : Optional.of(leaderOf(first.getKvs(0)));
          if (!Objects.equals(now, last)) {
            last = now;
            listener.accept(now);
          }
          awaitOrCancel(KeyWatch.anyChange(store, prefix, first.getHeader().getRevision() + 1), closed);
        } catch (RuntimeException e) {
          log.debug("observing {} failed ({}); again shortly", component, e.toString());
          pause(closed);
        }
      }
    });
    return () -> closed.complete(null);
  }

  private RangeRequest firstCandidate() {
    return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(Keys.prefixEnd(prefix))
        .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.ASCEND).setLimit(1)
        .build();
  }

  private static Leader leaderOf(KeyValue kv) {
    return new Leader(kv.getKey().toStringUtf8(), kv.getCreateRevision(), kv.getValue().toStringUtf8());
  }

  /** Waits for {@code watch}, or for {@code stop}; the watch is closed either way. */
  private static void awaitOrCancel(CompletableFuture<Void> watch, CompletableFuture<Void> stop) {
    try {
      CompletableFuture.anyOf(watch, stop).join();
    } catch (RuntimeException e) {
      // stop was cancelled: the caller's loop sees it is done
    } finally {
      watch.cancel(false);
    }
  }

  private void pause(CompletableFuture<Void> stop) {
    try {
      stop.get(settings.retryPause().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // timed out (the usual case) or stopped: the caller's loop decides
    }
  }

  private KVGrpc.KVBlockingStub kv(io.grpc.ManagedChannel channel) {
    return KVGrpc.newBlockingStub(channel)
        .withDeadlineAfter(store.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }
}
