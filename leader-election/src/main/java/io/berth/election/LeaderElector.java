package io.berth.election;

import io.berth.client.ApiException;
import io.berth.client.Client;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a leader-only component on whichever replica wins its election, and only there.
 * One elector thread loops: open a {@link Session}, {@link Election#campaign campaign},
 * lead until the session lapses or ends, the key is deleted or the elector is closed, stop
 * the work, and campaign again.
 *
 * <pre>{@code
 * LeaderElector elector = LeaderElector.builder()
 *     .component("berth-scheduler").identity("server-1")
 *     .storeEndpoints(List.of("10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"))
 *     .apiClient(client)                      // optional: the Lease object in kube-system
 *     .callbacks(new LeaderCallbacks() {
 *       public void onStartedLeading(FencingToken token, Leadership leadership) {
 *         Client fenced = leadership.fence(client);
 *         leadership.scheduleWithFixedDelay(() -> scheduleOnce(fenced), Duration.ZERO, Duration.ofMillis(100));
 *       }
 *       public void onStoppedLeading() { }
 *     })
 *     .build();
 * elector.start();
 * ...
 * elector.close();                            // stops the work, resigns, revokes the lease
 * }</pre>
 */
public final class LeaderElector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final String component;
  private final String identity;
  private final ElectionSettings settings;
  private final StoreEndpoints store;
  private final boolean ownsStore;
  private final Election election;
  private final LeaderCallbacks callbacks;
  private final Client apiClient;
  private final ElectionMetrics metrics;
  private final int workThreads;
  private final Clock clock;
  private final CompletableFuture<String> stopping = new CompletableFuture<>();
  private final Thread thread;
  private volatile Session session;
  private volatile Leadership leadership;
  private volatile boolean abandoned;

  private LeaderElector(Builder b) {
    this.component = b.component;
    this.identity = b.identity;
    this.settings = b.settings;
    this.ownsStore = b.store == null;
    this.store = ownsStore ? new StoreEndpoints(b.storeEndpoints, settings.callTimeout(), b.storeDial) : b.store;
    this.election = new Election(store, settings, component);
    this.callbacks = b.callbacks;
    this.apiClient = b.apiClient;
    this.metrics = b.metrics;
    this.workThreads = b.workThreads;
    this.clock = b.clock;
    this.thread = new Thread(this::run, "elector-" + component);
    thread.setDaemon(true);
  }

  public static Builder builder() {
    return new Builder();
  }

  public LeaderElector start() {
    thread.start();
    return this;
  }

  public Election election() {
    return election;
  }

  public String identity() {
    return identity;
  }

  /** True while this replica leads (by its own clock, which errs on the side of not leading). */
  public boolean isLeading() {
    Leadership current = leadership;
    return current != null && current.isLeading();
  }

  /** The token of the current leadership, while leading. */
  public Optional<FencingToken> token() {
    Leadership current = leadership;
    return current != null && current.isLeading() ? Optional.of(current.token()) : Optional.empty();
  }

  private void run() {
    Session current = null;
    while (!stopping.isDone()) {
      try {
        if (current == null || !current.isAlive()) {
          endSession(current);
          current = Session.open(store, settings);
          session = current;
          if (stopping.isDone()) {
            break; // close() may have looked for a session before this one was set
          }
        }
        FencingToken token = election.campaign(current, identity);
        lead(current, token);
      } catch (SessionEndedException e) {
        log.info("{}/{}: campaign ended: {}", component, identity, e.getMessage());
        endSession(current);
        current = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // A store call failed (no endpoint answered in time); the session may well live on.
        log.warn("{}/{}: election step failed ({}); trying again", component, identity, e.toString());
      }
      pause();
    }
    if (!abandoned) {
      endSession(current);
    }
  }

  /** Closes a session (revoking its lease); one that ended by itself is counted. */
  private void endSession(Session ended) {
    if (ended == null) {
      return;
    }
    if (!ended.isAlive() && !stopping.isDone()) {
      metrics.sessionEnded(component, identity);
    }
    ended.close();
  }

  /**
   * Leads until the session lapses or ends, the key goes or the elector stops; then stops
   * the work. After a lapse the session is kept: if a renewal shows the store still holds
   * the lease, the next campaign finds the same key first in line and leads again with the
   * same token (nobody else can have led meanwhile: that needs this key gone).
   */
  private void lead(Session session, FencingToken token) {
    Leadership current = new Leadership(token, component, workThreads);
    leadership = current;
    metrics.leading(component, identity, true);
    log.info("{}/{}: leading with fencing token {}", component, identity, token.headerValue());
    CompletableFuture<Void> keyGone = election.ended(token);
    String reason = "stopped";
    try {
      current.submit(() -> callbacks.onStartedLeading(token, current));
      if (apiClient != null) {
        LeaseMirror mirror = new LeaseMirror(token.fence(apiClient), component, identity, settings, clock);
        current.scheduleWithFixedDelay(() -> syncLease(mirror), Duration.ZERO, settings.leaseObjectRenewPeriod());
      }
      Object why = CompletableFuture.anyOf(
          session.done(),
          session.lapsed().thenApply(v -> "lease not renewed in time; it may expire in the store"),
          keyGone.thenApply(v -> "campaign key deleted"),
          stopping).get();
      reason = String.valueOf(why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      reason = "failed: " + e.getCause();
    } finally {
      current.stop(reason, settings.stopTimeout());
      keyGone.cancel(false);
      metrics.leading(component, identity, false);
      log.info("{}/{}: leadership {} over: {}", component, identity, token.headerValue(), reason);
      try {
        callbacks.onStoppedLeading();
      } catch (RuntimeException e) {
        log.warn("{}/{}: onStoppedLeading failed", component, identity, e);
      }
      if (stopping.isDone() && !abandoned) {
        resign(token);
      }
    }
  }

  private void syncLease(LeaseMirror mirror) {
    try {
      mirror.sync();
    } catch (ApiException e) {
      log.debug("{}: Lease object not written ({} {}); next renewal retries", component, e.code(), e.reason());
    }
  }

  private void resign(FencingToken token) {
    try {
      election.resign(token);
    } catch (RuntimeException e) {
      log.info("{}/{}: resigning failed ({}); revoking the lease ends the campaign too", component, identity,
          e.toString());
    }
  }

  private void pause() {
    try {
      stopping.get(settings.retryPause().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the usual case: the pause passed
    }
  }

  /** Stops the work if leading, resigns, revokes the session's lease and ends the elector thread. */
  @Override
  public void close() {
    stopping.complete("elector closed");
    // A leader notices stopping, stops its work and resigns; a candidate waiting in its
    // campaign is woken by ending its session (which revokes the lease).
    Session current = session;
    if (!isLeading() && current != null) {
      current.close();
    }
    joinThread();
    if (ownsStore) {
      store.close();
    }
  }

  /**
   * Behaves as if the process died: keep-alives stop and the work stops, but nothing is
   * said to the store (no resign, no revoke), so another replica takes over only once the
   * store expires the lease. For failover tests and the chaos harness's deposed leaders.
   */
  public void abandon() {
    abandoned = true;
    stopping.complete("abandoned");
    Session current = session;
    if (current != null) {
      current.abandon();
    }
    joinThread();
    if (ownsStore) {
      store.close();
    }
  }

  private void joinThread() {
    try {
      thread.join(settings.stopTimeout().plus(settings.callTimeout()).multipliedBy(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static final class Builder {
    private String component;
    private String identity;
    private ElectionSettings settings = ElectionSettings.defaults();
    private List<String> storeEndpoints;
    private java.util.function.Function<String, io.grpc.ManagedChannel> storeDial;
    private StoreEndpoints store;
    private LeaderCallbacks callbacks;
    private Client apiClient;
    private ElectionMetrics metrics = ElectionMetrics.unregistered();
    private int workThreads = 4;
    private Clock clock = Clock.systemUTC();

    /** The component's name, e.g. {@code berth-scheduler}: the election's key prefix and the Lease's name. */
    public Builder component(String v) { component = v; return this; }
    /** This replica's name as {@code berth up} and cluster.json give it: the Lease's holderIdentity. */
    public Builder identity(String v) { identity = v; return this; }
    public Builder settings(ElectionSettings v) { settings = v; return this; }
    /** The store's client endpoints, {@code host:port}; the elector owns the connections. */
    public Builder storeEndpoints(List<String> v) { storeEndpoints = v; return this; }
    /** Opens the channel to one of {@link #storeEndpoints}, e.g. with TLS (default: plaintext). */
    public Builder storeDial(java.util.function.Function<String, io.grpc.ManagedChannel> v) { storeDial = v; return this; }
    /** Connections shared with others (not closed by the elector); instead of {@link #storeEndpoints}. */
    public Builder store(StoreEndpoints v) { store = v; return this; }
    public Builder callbacks(LeaderCallbacks v) { callbacks = v; return this; }
    /** When set, the leader keeps the Lease object in kube-system up to date through this client. */
    public Builder apiClient(Client v) { apiClient = v; return this; }
    public Builder metrics(ElectionMetrics v) { metrics = v; return this; }
    /** Threads of each {@link Leadership} (default 4). */
    public Builder workThreads(int v) { workThreads = v; return this; }
    /** The wall clock of the Lease object's times. */
    public Builder clock(Clock v) { clock = v; return this; }

    public LeaderElector build() {
      if (component == null || identity == null || callbacks == null) {
        throw new IllegalStateException("an elector needs a component, an identity and callbacks");
      }
      if ((storeEndpoints == null) == (store == null)) {
        throw new IllegalStateException("give either storeEndpoints or store");
      }
      return new LeaderElector(this);
    }
  }
}
