package io.berth.store.grpc;

import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's Watch service: each call is a {@link WatchStream}.
 *
 * <p>A watch is served from this member's own state, so it is only as current as this member.
 * A member cut off from its leader, or whose Raft division is not running (closed by Ratis,
 * or a joiner the leader has not reached yet), applies nothing, and its watchers would wait in
 * silence. So, as etcd does, streams that asked for a leader ({@link RequireLeader}) end with
 * "etcdserver: no leader" once the member has had none for {@code patience}; and every stream
 * ends once the division has not been running for that long, because no event will come.
 * The client resumes from its last revision on another member.
 */
public final class WatchService extends WatchGrpc.WatchImplBase {
  private static final Logger log = LoggerFactory.getLogger(WatchService.class);
  static final Status NO_LEADER = Status.UNAVAILABLE.withDescription("etcdserver: no leader");
  static final Status NOT_RUNNING = Status.UNAVAILABLE.withDescription(
      "etcdserver: this member's raft is not running (starting, or stopped); watch on another member");

  private final StoreNode node;
  private final Executor executor;
  private final LongSupplier nanoClock;
  private final long patienceNanos;
  private final Set<WatchStream> streams = ConcurrentHashMap.newKeySet();
  private volatile long lastRunning;
  private volatile long lastLed;

  public WatchService(StoreNode node, Executor executor, ScheduledExecutorService timer, Duration patience) {
    this(node, executor, System::nanoTime, patience);
    long tick = Math.max(50, patience.toMillis() / 4);
    timer.scheduleWithFixedDelay(this::checkMember, tick, tick, TimeUnit.MILLISECONDS);
  }

  WatchService(StoreNode node, Executor executor, LongSupplier nanoClock, Duration patience) {
    this.node = node;
    this.executor = executor;
    this.nanoClock = nanoClock;
    this.patienceNanos = patience.toNanos();
    this.lastRunning = nanoClock.getAsLong();
    this.lastLed = lastRunning;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responseObserver) {
    WatchStream stream = new WatchStream(node, responseObserver, executor, RequireLeader.requested(), streams::remove);
    streams.add(stream);
    return stream;
  }

  /** Ends the streams this member can no longer serve; runs on a timer. */
  void checkMember() {
    long now = nanoClock.getAsLong();
    boolean running = node.isRaftRunning();
    if (running) {
      lastRunning = now;
      if (node.leaderId() != 0) {
        lastLed = now;
      }
    }
    if (now - lastRunning > patienceNanos) {
      endStreams(false, NOT_RUNNING);
    } else if (now - lastLed > patienceNanos) {
      endStreams(true, NO_LEADER);
    }
  }

  private void endStreams(boolean onlyThoseRequiringALeader, Status why) {
    int ended = 0;
    for (WatchStream stream : streams) {
      if (!onlyThoseRequiringALeader || stream.requiresLeader()) {
        streams.remove(stream);
        stream.end(why);
        ended++;
      }
    }
    if (ended > 0) {
      log.warn("ended {} watch stream(s): {}", ended, why.getDescription());
    }
  }

  /** Open streams, for tests and metrics. */
  int openStreams() {
    return streams.size();
  }
}
