package io.berth.store.server;

import io.berth.store.command.CommandBatch;
import io.berth.store.command.QueryBatch;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreQuery;
import io.berth.store.command.StoreResult;
import io.berth.store.mvcc.StoreException;
import io.berth.store.statemachine.StoreState;
import io.berth.store.statemachine.StoreStateMachine;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;

/**
 * What one replica can do with the replicated store, independent of any wire
 * protocol: propose a write (routed to the leader), read linearizably (ReadIndex
 * through whichever replica this is, followers included), read serializably from
 * local state, and ask the leader about leases.
 *
 * <p>All calls are asynchronous. Failures complete exceptionally with a
 * {@link StoreException} carrying etcd's message.
 */
public final class StoreNode {
  /** How long a read waits for a leader to appear before giving up. */
  private static final Duration READ_RETRY_BUDGET = Duration.ofSeconds(5);
  private static final long READ_RETRY_PAUSE_MS = 25;
  /** The longest a proposal or a read may take before the client is told it timed out. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final RaftClient client;
  private final StoreStateMachine stateMachine;
  private final ScheduledExecutorService scheduler;
  private final ClientId localClientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final long memberId;
  private final long clusterId;
  /** Up to 4 log entries in flight, each carrying up to 4 MiB of commands. */
  private final RequestBatcher<StoreCommand> proposals;
  /** Up to 2 ReadIndex rounds in flight, each serving every read that was waiting. */
  private final RequestBatcher<StoreQuery> reads;
  /** Up to 2 reads sent to the leader in flight, each carrying every small read that was waiting. */
  private final RequestBatcher<StoreQuery> leaderReads;

  StoreNode(RaftServer server, RaftGroupId groupId, RaftClient client, StoreStateMachine stateMachine,
      ScheduledExecutorService scheduler, java.util.concurrent.Executor replyExecutor, long memberId, long clusterId) {
    this.server = server;
    this.groupId = groupId;
    this.client = client;
    this.stateMachine = stateMachine;
    this.scheduler = scheduler;
    this.memberId = memberId;
    this.clusterId = clusterId;
    this.proposals = new RequestBatcher<>(this::send,
        commands -> StoreCommand.newBuilder().setBatch(CommandBatch.newBuilder().addAllCommands(commands)).build(),
        replyExecutor, 4, 4 << 20);
    this.reads = new RequestBatcher<>(this::readOnce,
        queries -> StoreQuery.newBuilder().setBatch(QueryBatch.newBuilder().addAllQueries(queries)).build(),
        replyExecutor, 2, 1 << 20);
    this.leaderReads = new RequestBatcher<>(this::readOnceAtLeader,
        queries -> StoreQuery.newBuilder().setBatch(QueryBatch.newBuilder().addAllQueries(queries)).build(),
        replyExecutor, 2, 1 << 20);
  }

  public long memberId() {
    return memberId;
  }

  public long clusterId() {
    return clusterId;
  }

  public StoreStateMachine stateMachine() {
    return stateMachine;
  }

  RaftClient raftClient() {
    return client;
  }

  RaftServer.Division division() {
    try {
      return server.getDivision(groupId);
    } catch (IOException e) {
      throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: raft group is not running: " + e.getMessage());
    }
  }

  /** The current Raft term as this replica knows it. */
  public long term() {
    try {
      return division().getInfo().getCurrentTerm();
    } catch (StoreException e) {
      return 0;
    }
  }

  /** The member ID of the leader this replica knows of, or 0 if none. */
  public long leaderId() {
    try {
      RaftPeerId leader = division().getInfo().getLeaderId();
      return leader == null ? 0 : MemberIds.memberId(leader);
    } catch (StoreException e) {
      return 0;
    }
  }

  /**
   * Whether this replica's Raft division is running. Ratis can close a division on its own while
   * the process goes on: a candidate that finds itself outside its own configuration shuts its
   * division down (LeaderElection, NOT_IN_CONF), and so does a failed state machine updater. A
   * member started without its own configuration stays STARTING until a leader reaches it.
   * Neither serves linearizable requests; a closed division never will again, until the process
   * is restarted.
   */
  public boolean isRaftRunning() {
    try {
      return division().getInfo().getLifeCycleState() == LifeCycle.State.RUNNING;
    } catch (StoreException e) {
      return false;
    }
  }

  /**
   * Whether this replica can serve linearizable requests now: its division runs and knows a
   * leader. What /readyz and /healthz of both the store and the API server report.
   */
  public boolean canServe() {
    return isRaftRunning() && leaderId() != 0;
  }

  /** Whether this replica's Raft division has been closed, or failed, for good. */
  public boolean isRaftClosed() {
    try {
      LifeCycle.State state = division().getInfo().getLifeCycleState();
      return state.isClosingOrClosed() || state == LifeCycle.State.EXCEPTION;
    } catch (StoreException e) {
      return true;
    }
  }

  public boolean isLeader() {
    try {
      return division().getInfo().isLeader();
    } catch (StoreException e) {
      return false;
    }
  }

  public long commitIndex() {
    RaftLog log = division().getRaftLog();
    return log.getLastCommittedIndex();
  }

  public long lastLogIndex() {
    return division().getRaftLog().getLastEntryTermIndex() == null ? 0
        : division().getRaftLog().getLastEntryTermIndex().getIndex();
  }

  public long appliedIndex() {
    var applied = stateMachine.getLastAppliedTermIndex();
    return applied == null ? 0 : applied.getIndex();
  }

  /**
   * Proposes a write; completes once it is committed and applied. Concurrent
   * proposals share log entries ({@link RequestBatcher}). On the leader the
   * request goes straight into the local Raft server; elsewhere the Ratis client
   * routes it to the leader and retries through elections (its retry cache, filled
   * on every replica as entries apply, keeps a retried entry from applying twice).
   */
  public CompletableFuture<StoreResult> propose(StoreCommand command) {
    return proposals.submit(command);
  }

  /**
   * One entry through Raft, bounded in time: an entry stuck behind a lost leader must
   * not hold a batcher slot forever. A timed-out write may still apply later, which is
   * what etcd's "request timed out" means too.
   */
  private CompletableFuture<StoreResult> send(StoreCommand command) {
    return bounded(sendUnbounded(command));
  }

  private static CompletableFuture<StoreResult> bounded(CompletableFuture<StoreResult> request) {
    return request.orTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
      if (unwrap(e) instanceof java.util.concurrent.TimeoutException) {
        throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: request timed out");
      }
      throw e instanceof CompletionException ce ? ce : new CompletionException(e);
    });
  }

  private CompletableFuture<StoreResult> sendUnbounded(StoreCommand command) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(command.toByteArray()));
    if (!isLeader()) {
      return client.async().send(message).handle(StoreNode::toResult);
    }
    return submitLocal(message, RaftClientRequest.writeRequestType()).thenCompose(reply -> {
      if (!reply.isSuccess() && reply.getException() instanceof LeaderNotReadyException) {
        // Refused before it reached the log, so sending it again cannot apply it twice.
        return client.async().send(message).handle(StoreNode::toResult);
      }
      if (!reply.isSuccess() && reply.getException() instanceof NotLeaderException) {
        // It may already be in the log, and a new leader may still commit it: only the
        // client can decide whether to retry, as with etcd's "leader changed".
        throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: leader changed");
      }
      return CompletableFuture.completedFuture(toResult(reply, null));
    });
  }

  /** A linearizable read served by this replica after it has caught up to the leader's commit index. */
  public CompletableFuture<StoreResult> readLinearizable(StoreQuery query) {
    return reads.submit(query);
  }

  /**
   * A linearizable read answered by the leader, under its lease: for small reads (one
   * object, a revision) on a follower. A follower's own ReadIndex read right after a
   * write waits until it learns the new commit index, which Ratis tells followers only
   * with its next heartbeat (about 120 ms here); the leader already knows it. On the
   * leader this is {@link #readLinearizable}. Large reads (ranges of many keys) should
   * stay with {@link #readLinearizable}, so that followers, not the leader, ship them.
   */
  public CompletableFuture<StoreResult> readLinearizableAtLeader(StoreQuery query) {
    return isLeader() ? readLinearizable(query) : leaderReads.submit(query);
  }

  private CompletableFuture<StoreResult> readOnceAtLeader(StoreQuery query) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
    long deadline = System.nanoTime() + READ_RETRY_BUDGET.toNanos();
    return bounded(withRetry(() -> client.async().sendReadOnly(message), deadline));
  }

  private CompletableFuture<StoreResult> readOnce(StoreQuery query) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
    long deadline = System.nanoTime() + READ_RETRY_BUDGET.toNanos();
    return bounded(withRetry(() -> submitLocalRead(message), deadline));
  }

  private CompletableFuture<RaftClientReply> submitLocalRead(Message message) {
    return submitLocal(message, RaftClientRequest.readRequestType());
  }

  private CompletableFuture<RaftClientReply> submitLocal(Message message, RaftClientRequest.Type type) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(localClientId)
        .setServerId(server.getId())
        .setGroupId(groupId)
        .setCallId(callIds.incrementAndGet())
        .setMessage(message)
        .setType(type)
        .build();
    if (!division().getInfo().isAlive()) {
      return CompletableFuture.failedFuture(divisionClosed());
    }
    try {
      return server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(divisionClosed());
    }
  }

  /**
   * A closed division's executors are shut down, and Ratis answers with a
   * RejectedExecutionException, which would reach clients as INTERNAL: it is UNAVAILABLE here,
   * so that clients go to another member.
   */
  private static StoreException divisionClosed() {
    return new StoreException(Status.Code.UNAVAILABLE, "etcdserver: this member's raft division is closed");
  }

  private CompletableFuture<StoreResult> withRetry(Supplier<CompletableFuture<RaftClientReply>> attempt, long deadline) {
    return attempt.get().handle((reply, error) -> {
      Throwable failure = error != null ? unwrap(error) : reply.isSuccess() ? null : reply.getException();
      if (failure != null && isRetriable(failure) && System.nanoTime() < deadline) {
        return later(() -> withRetry(attempt, deadline));
      }
      return CompletableFuture.completedFuture(toResult(reply, error));
    }).thenCompose(Function.identity());
  }

  /** Runs {@code attempt} again after a short pause, off the calling thread. */
  private CompletableFuture<StoreResult> later(Supplier<CompletableFuture<StoreResult>> attempt) {
    CompletableFuture<StoreResult> retry = new CompletableFuture<>();
    scheduler.schedule(() -> attempt.get().whenComplete((result, error) -> {
      if (error != null) {
        retry.completeExceptionally(error);
      } else {
        retry.complete(result);
      }
    }), READ_RETRY_PAUSE_MS, TimeUnit.MILLISECONDS);
    return retry;
  }

  private static boolean isRetriable(Throwable t) {
    return t instanceof NotLeaderException || t instanceof LeaderNotReadyException
        || t instanceof ReadIndexException || t instanceof ReadException || isTransportFailure(t);
  }

  /**
   * A follower's ReadIndex call to the leader failed on the wire (its peer channel is still
   * connecting after a start, restart or election): Ratis hands gRPC's error up unchanged,
   * and a linearizable read through a follower failed with INTERNAL instead of being retried.
   */
  private static boolean isTransportFailure(Throwable t) {
    for (Throwable cause = t; cause != null; cause = cause.getCause()) {
      if (cause instanceof org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException) {
        return true;
      }
    }
    return false;
  }

  /** A query only the leader can answer (lease clocks); sent to the leader without a ReadIndex round. */
  public CompletableFuture<StoreResult> askLeader(StoreQuery query) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
    long deadline = System.nanoTime() + READ_RETRY_BUDGET.toNanos();
    return askLeaderUntil(message, deadline);
  }

  private CompletableFuture<StoreResult> askLeaderUntil(Message message, long deadline) {
    return client.async().sendReadOnlyNonLinearizable(message).handle((reply, error) -> {
      try {
        return CompletableFuture.completedFuture(toResult(reply, error));
      } catch (StoreException e) {
        // The replica the client took for leader no longer is (its lease clock stopped): ask again.
        if (e.code() == Status.Code.UNAVAILABLE && System.nanoTime() < deadline) {
          return later(() -> askLeaderUntil(message, deadline));
        }
        throw e;
      }
    }).thenCompose(Function.identity());
  }


  /** A serializable read of this replica's local state. */
  public <T> T readLocal(Function<StoreState, T> reader) {
    return stateMachine.read(reader);
  }

  private static StoreResult toResult(RaftClientReply reply, Throwable error) {
    if (error != null) {
      throw asStoreException(unwrap(error));
    }
    if (!reply.isSuccess()) {
      throw asStoreException(reply.getException());
    }
    try {
      StoreResult result = StoreResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
      if (result.hasError()) {
        throw new StoreException(Status.fromCodeValue(result.getError().getCode()).getCode(), result.getError().getMessage());
      }
      return result;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new StoreException(Status.Code.INTERNAL, "etcdserver: malformed reply from state machine");
    }
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static StoreException asStoreException(Throwable t) {
    if (t instanceof StoreException se) {
      return se;
    }
    if (t instanceof NotLeaderException || t instanceof LeaderNotReadyException) {
      return new StoreException(Status.Code.UNAVAILABLE, "etcdserver: no leader");
    }
    if (t instanceof RaftException || t instanceof IOException || isTransportFailure(t)) {
      return new StoreException(Status.Code.UNAVAILABLE, "etcdserver: request timed out: " + t.getMessage());
    }
    return new StoreException(Status.Code.INTERNAL, "etcdserver: " + t);
  }
}
