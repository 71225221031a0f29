package io.berth.election;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store lease kept alive by this process: the life of a candidate. Keys a campaign puts
 * are attached to it, so they vanish when it ends.
 *
 * <p>Two signals, because a candidate and a leader need different things:
 * <ul>
 *   <li>{@link #lapsed()}: this process can no longer be sure the store still holds the
 *       lease, because the {@link LeaseDeadline} passed without a renewal. That is before
 *       the store itself could expire the lease, so a leader that stops at a lapse stops
 *       before a successor can be elected. A later renewal makes the session certain again
 *       (the store had not expired it after all, e.g. it was electing its own leader);
 *   <li>{@link #done()}: the session is over for good: the store said it no longer knows
 *       the lease, or the session was closed.
 * </ul>
 * A candidate keeps its place in line through a lapse; only a leader has to stop.
 *
 * <p>Keep-alives go over one LeaseKeepAlive stream, every renew period; a stream that
 * fails or stays silent is replaced on the next endpoint. Thread-safe.
 */
public final class Session implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final StoreEndpoints store;
  private final ElectionSettings settings;
  private final LongSupplier nanoClock;
  private final long leaseId;
  private final LeaseDeadline deadline;
  private final CompletableFuture<String> done = new CompletableFuture<>();
  private final ScheduledExecutorService timers;
  private CompletableFuture<Void> lapse = new CompletableFuture<>();
  private CompletableFuture<Void> nextRenewal = new CompletableFuture<>();
  private ScheduledFuture<?> expiry;
  private KeepAliveStream stream;

  private Session(StoreEndpoints store, ElectionSettings settings, LongSupplier nanoClock, long leaseId,
      LeaseDeadline deadline) {
    this.store = store;
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.leaseId = leaseId;
    this.deadline = deadline;
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "session-" + Long.toHexString(leaseId));
      t.setDaemon(true);
      return t;
    });
  }

  /** Grants a lease of the settings' TTL and starts keeping it alive. */
  public static Session open(StoreEndpoints store, ElectionSettings settings) {
    long sentAt = System.nanoTime();
    LeaseGrantResponse grant = store.call(channel -> LeaseGrpc.newBlockingStub(channel)
        .withDeadlineAfter(store.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(settings.ttl().toSeconds()).build()));
    Session session = new Session(store, settings, System::nanoTime, grant.getID(),
        new LeaseDeadline(settings.safetyMargin(), sentAt, grant.getTTL()));
    session.start();
    log.debug("session {} opened, TTL {} s", Long.toHexString(grant.getID()), grant.getTTL());
    return session;
  }

  private void start() {
    long periodMs = settings.renewPeriod().toMillis();
    synchronized (this) {
      scheduleExpiry();
    }
    timers.scheduleAtFixedRate(this::keepAlive, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  public long leaseId() {
    return leaseId;
  }

  /** Completes, with the reason, when the session is over; it never comes back. */
  public CompletableFuture<String> done() {
    return done;
  }

  public boolean isAlive() {
    return !done.isDone();
  }

  /** Alive and renewed recently enough that the store surely still holds the lease. */
  public synchronized boolean isCertain() {
    return isAlive() && !lapse.isDone();
  }

  /** Completes when the local deadline passes without a renewal (at once if it has and none came since). */
  public synchronized CompletableFuture<Void> lapsed() {
    return lapse;
  }

  /** Completes at the next successful renewal. */
  public synchronized CompletableFuture<Void> nextRenewal() {
    return nextRenewal;
  }

  private synchronized void keepAlive() {
    if (done.isDone()) {
      return;
    }
    long now = nanoClock.getAsLong();
    // Half a TTL without an answer: the endpoint is probably cut off (a store without a
    // leader answers nobody either; trying the next endpoint then costs nothing).
    if (stream != null && stream.silentFor(now) > settings.ttl().toNanos() / 2) {
      log.info("session {}: keep-alives unanswered for {} ms; trying another endpoint", hex(), stream.silentFor(now) / 1_000_000);
      stream.cancel();
      store.failed(stream.channel, null);
      stream = null;
    }
    if (stream == null) {
      stream = new KeepAliveStream(store.current());
    }
    stream.send(now);
  }

  private synchronized void renewed(long sentAt, long ttlSeconds) {
    if (done.isDone()) {
      return;
    }
    if (ttlSeconds <= 0) {
      end("the store no longer holds lease " + hex());
      return;
    }
    deadline.renewed(sentAt, ttlSeconds);
    scheduleExpiry();
    if (lapse.isDone() && !deadline.passed(nanoClock.getAsLong())) {
      log.info("session {}: renewed again; the store still holds its lease", hex());
      lapse = new CompletableFuture<>();
    }
    CompletableFuture<Void> renewal = nextRenewal;
    nextRenewal = new CompletableFuture<>();
    renewal.complete(null);
  }

  /** Called with the lock held: one timer, at the current deadline, marks a lapse if no renewal moved it. */
  private void scheduleExpiry() {
    if (expiry != null) {
      expiry.cancel(false);
    }
    long wait = Math.max(0, deadline.remainingNanos(nanoClock.getAsLong()));
    expiry = timers.schedule(this::checkDeadline, wait, TimeUnit.NANOSECONDS);
  }

  private synchronized void checkDeadline() {
    if (isAlive() && !lapse.isDone() && deadline.passed(nanoClock.getAsLong())) {
      log.info("session {}: no keep-alive answered in time; the lease may expire in the store at any moment", hex());
      lapse.complete(null);
    }
  }

  /** Ends the session because the store said its lease is gone (the lease cannot come back). */
  synchronized void lost(String reason) {
    end(reason);
  }

  private void end(String reason) {
    if (done.isDone()) {
      return;
    }
    log.info("session {} over: {}", hex(), reason);
    if (stream != null) {
      stream.cancel();
      stream = null;
    }
    timers.shutdownNow();
    lapse.complete(null);
    done.complete(reason);
  }

  /** Ends the session and revokes its lease, which deletes its keys at once (a clean hand-over). */
  @Override
  public void close() {
    boolean wasAlive;
    synchronized (this) {
      wasAlive = isAlive();
      end("closed");
    }
    try {
      store.call(channel -> LeaseGrpc.newBlockingStub(channel)
          .withDeadlineAfter(store.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId).build()));
    } catch (RuntimeException e) {
      // Not found (it expired) or no store: either way the store expires it by itself.
      if (wasAlive) {
        log.info("session {}: revoking its lease failed ({}); the store will expire it", hex(), e.getMessage());
      }
    }
  }

  /**
   * Stops keep-alives without revoking, as a process that died would: the store expires the
   * lease after its TTL. For tests of failover.
   */
  synchronized void abandon() {
    end("abandoned");
  }

  private String hex() {
    return Long.toHexString(leaseId);
  }

  /** One LeaseKeepAlive stream; answers come in the order of the requests. */
  private final class KeepAliveStream implements StreamObserver<LeaseKeepAliveResponse> {
    final ManagedChannel channel;
    private final Deque<Long> sentAt = new ArrayDeque<>();
    private final StreamObserver<LeaseKeepAliveRequest> requests;

    KeepAliveStream(ManagedChannel channel) {
      this.channel = channel;
      this.requests = LeaseGrpc.newStub(channel).leaseKeepAlive(this);
    }

    void send(long now) {
      sentAt.addLast(now);
      requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    }

    /** How long the oldest unanswered keep-alive has waited (0 if none). */
    long silentFor(long now) {
      Long oldest = sentAt.peekFirst();
      return oldest == null ? 0 : now - oldest;
    }

    void cancel() {
      ((ClientCallStreamObserver<LeaseKeepAliveRequest>) requests).cancel("session moved on", null);
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
      Long at;
      synchronized (Session.this) {
        at = sentAt.pollFirst();
      }
      if (at != null) {
        renewed(at, response.getTTL());
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (Session.this) {
        if (stream == this) {
          stream = null;
          if (StoreEndpoints.isEndpointFailure(t)) {
            store.failed(channel, t);
          }
          log.debug("session {}: keep-alive stream failed: {}", hex(), t.toString());
        }
      }
    }

    @Override
    public void onCompleted() {
      onError(io.grpc.Status.UNAVAILABLE.withDescription("keep-alive stream ended").asRuntimeException());
    }
  }
}
