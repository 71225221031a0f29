package io.berth.store.server;

import io.berth.store.command.LeaseExpiry;
import io.berth.store.command.MemberAttributes;
import io.berth.store.command.StoreCommand;
import io.berth.store.grpc.ClusterService;
import io.berth.store.grpc.KvService;
import io.berth.store.grpc.LeaseService;
import io.berth.store.grpc.MaintenanceService;
import io.berth.store.grpc.RequireLeader;
import io.berth.store.grpc.WatchService;
import io.berth.store.lease.LeaseExpiryTracker;
import io.berth.store.statemachine.StoreStateMachine;
import io.berth.store.watch.WatchHub;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One raft-store replica, wired: a Ratis server with the {@link StoreStateMachine},
 * a Ratis client for proposals, the etcd v3 gRPC API, and the leader-side loops
 * (lease expiry) and member-side loops (publishing attributes, progress notices).
 */
public final class StoreServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreServer.class);
  /** How long a member started with --join waits for the cluster to tell it its ID. */
  private static final Duration JOIN_LOOKUP_TIMEOUT = Duration.ofMinutes(2);

  private final StoreConfig config;
  private final RaftServer raftServer;
  private final RaftClient raftClient;
  private final StoreNode node;
  private final Membership membership;
  private final Server grpcServer;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blockingExecutor;
  private final ExecutorService replyExecutor;
  private final StoreMetrics metrics;
  private volatile boolean attributesPublished;

  private StoreServer(StoreConfig config) throws IOException {
    this.config = config;
    String selfAddress = config.peerAddress();
    RaftGroupId groupId = MemberIds.groupId(config.clusterToken());
    org.apache.ratis.conf.Parameters tlsParameters = config.tls() == null
        ? new org.apache.ratis.conf.Parameters() : config.tls().ratisParameters();
    Optional<DataDirIdentity> existing = DataDirIdentity.read(config.dataDir());
    boolean restarting = existing.isPresent();
    long memberId;
    if (restarting) {
      existing.get().checkStartedAs(config.dataDir(), config.clusterToken(), config.name(), selfAddress);
      memberId = existing.get().memberId();
    } else {
      memberId = config.joinExisting()
          ? AddedMemberLookup.memberIdOf(selfAddress, peerGroup(config, groupId, selfAddress, 0), tlsParameters,
              JOIN_LOOKUP_TIMEOUT)
          : MemberIds.memberId(selfAddress);
      new DataDirIdentity(config.clusterToken(), config.name(), memberId, selfAddress).write(config.dataDir());
    }
    RaftPeerId selfId = MemberIds.peerId(memberId);

    RaftGroup fullGroup = peerGroup(config, groupId, selfAddress, memberId);
    // A member joining a running cluster starts with no configuration and learns it from the
    // leader; starting it with one would let it campaign before it has any data.
    RaftGroup startGroup = config.joinExisting() && !restarting ? RaftGroup.valueOf(groupId) : fullGroup;

    this.scheduler = Executors.newScheduledThreadPool(2, daemon("berth-store-timer"));
    this.blockingExecutor = Executors.newCachedThreadPool(daemon("berth-store-worker"));
    LeaseExpiryTracker leaseClock = new LeaseExpiryTracker(System::nanoTime);
    // A member prepared by 'berth snapshot restore' starts from the restored state.
    StoreStateMachine stateMachine = new StoreStateMachine(new WatchHub(), leaseClock,
        restarting ? null : io.berth.store.statemachine.Backups.seedPath(config.dataDir()));

    int peerPort = Integer.parseInt(selfAddress.substring(selfAddress.lastIndexOf(':') + 1));
    RaftProperties properties = config.toRaftProperties(peerPort);
    this.raftServer = RaftServer.newBuilder()
        .setParameters(tlsParameters)
        .setServerId(selfId)
        .setGroup(startGroup)
        .setProperties(properties)
        .setStateMachine(stateMachine)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();

    RaftProperties clientProperties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(clientProperties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    this.raftClient = RaftClient.newBuilder()
        .setProperties(clientProperties)
        .setParameters(tlsParameters)
        .setRaftGroup(fullGroup)
        .setClientId(ClientId.randomId())
        // While a leader is being elected, proposals are retried with short pauses, so
        // one lands within tens of milliseconds of the election; StoreNode bounds the total.
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(400, TimeDuration.valueOf(25, TimeUnit.MILLISECONDS)))
        .build();

    this.replyExecutor = Executors.newFixedThreadPool(2, daemon("berth-store-reply"));
    this.node = new StoreNode(raftServer, groupId, raftClient, stateMachine, scheduler, replyExecutor, memberId,
        MemberIds.clusterId(config.clusterToken()));
    this.membership = new Membership(node, blockingExecutor, config.peers());
    this.metrics = new StoreMetrics(new PrometheusRegistry());

    LeaseService leases = new LeaseService(node);
    NettyServerBuilder grpc = NettyServerBuilder
        .forAddress(new InetSocketAddress(config.clientHost(), config.clientPort()));
    if (config.tls() != null) {
      grpc.sslContext(config.tls().serverContext())
          // Registered last, so it runs first: a refused identity is not even counted as a call.
          .intercept(new io.berth.store.tls.ControlPlaneOnly());
    }
    this.grpcServer = grpc
        // etcdctl pings every 10 s and jetcd every 30 s, also with no call open; grpc-java's
        // default policy would answer with too_many_pings and close their connections.
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        // Room for the largest allowed request plus its envelope, as etcd allows; larger
        // requests are refused with etcd's "request is too large" by the services.
        .maxInboundMessageSize((int) (config.maxRequestBytes() + 512 * 1024))
        .addService(ServerInterceptors.intercept(new KvService(node, config.maxRequestBytes(), config.quotaBytes()), metrics))
        .addService(ServerInterceptors.intercept(
            new WatchService(node, blockingExecutor, scheduler, watchPatience(config)), metrics, new RequireLeader()))
        .addService(ServerInterceptors.intercept(leases.definition(), metrics))
        .addService(ServerInterceptors.intercept(new ClusterService(node, membership, blockingExecutor), metrics))
        .addService(ServerInterceptors.intercept(
            new MaintenanceService(node, membership, config.quotaBytes(), blockingExecutor), metrics))
        .build();
    registerGauges(stateMachine);
  }

  /**
   * The peers of --peers as Raft peers. A founder's member ID is derived from its peer address;
   * a member added later has a fresh ID that only it and the cluster know, so an entry other
   * than this member's own may carry a derived ID that is not its real one. That is harmless
   * where the group is used: a Ratis client reaches a peer by its address and learns the
   * leader's real ID from the first NotLeaderException, and a restarting member takes its
   * configuration from its own log, not from here.
   *
   * @param selfId this member's ID, or 0 while it is not known yet
   */
  private static RaftGroup peerGroup(StoreConfig config, RaftGroupId groupId, String selfAddress, long selfId) {
    List<RaftPeer> peers = new ArrayList<>();
    for (String address : config.peers().values()) {
      long id = address.equals(selfAddress) && selfId != 0 ? selfId : MemberIds.memberId(address);
      peers.add(RaftPeer.newBuilder().setId(MemberIds.peerId(id)).setAddress(address).build());
    }
    return RaftGroup.valueOf(groupId, peers);
  }

  /**
   * How long a member may be without a leader, or without a running Raft division, before its
   * watch streams are ended: etcd's three election timeouts, but not below two seconds, so that
   * an ordinary election does not send every watcher elsewhere.
   */
  private static Duration watchPatience(StoreConfig config) {
    Duration threeElections = config.electionTimeoutMax().multipliedBy(3);
    return threeElections.compareTo(Duration.ofSeconds(2)) > 0 ? threeElections : Duration.ofSeconds(2);
  }

  /** Starts a replica: Raft first, then the client API. */
  public static StoreServer start(StoreConfig config) throws IOException {
    StoreServer server = new StoreServer(config);
    server.raftServer.start();
    try {
      server.grpcServer.start();
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen for clients on " + config.clientHost() + ":" + config.clientPort()
          + " (--client-listen): " + e.getMessage(), e);
    }
    server.startLoops();
    log.info("store member {} ({}) started: peer {}, clients {}:{}", config.name(),
        Long.toHexString(server.node.memberId()), config.peerAddress(), config.clientHost(), server.clientPort());
    return server;
  }

  private void startLoops() {
    long leaseCheckMs = config.leaseCheckInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::expireLeases, leaseCheckMs, leaseCheckMs, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::publishAttributes, 0, 500, TimeUnit.MILLISECONDS);
    if (!config.autoCompactionRetention().isZero()) {
      AutoCompaction compaction = new AutoCompaction(config.autoCompactionRetention());
      long tickMs = AutoCompaction.tickInterval(config.autoCompactionRetention()).toMillis();
      scheduler.scheduleWithFixedDelay(() -> compactIfDue(compaction), tickMs, tickMs, TimeUnit.MILLISECONDS);
    }
    long progressMs = config.progressNotifyInterval().toMillis();
    scheduler.scheduleWithFixedDelay(() -> node.readLocal(s -> {
      node.stateMachine().watchHub().progress(s.mvcc().revision());
      return null;
    }), progressMs, progressMs, TimeUnit.MILLISECONDS);
  }

  /** On the leader only: propose the expiry of leases whose TTL ran out on its clock. */
  private void expireLeases() {
    try {
      LeaseExpiryTracker clock = node.stateMachine().leaseClock();
      List<Long> expired = clock.takeExpired();
      if (!expired.isEmpty()) {
        log.info("leases expired: {}", expired.stream().map(Long::toHexString).toList());
        node.propose(StoreCommand.newBuilder().setLeaseExpiry(LeaseExpiry.newBuilder().addAllLeaseIds(expired)).build())
            .exceptionally(e -> {
              log.warn("proposing lease expiry failed; will retry: {}", e.getMessage());
              return null;
            });
      }
    } catch (RuntimeException e) {
      log.warn("lease expiry check failed", e);
    }
  }

  /** On the leader only: compact the history older than the configured retention. */
  private void compactIfDue(AutoCompaction compaction) {
    try {
      long[] revisions = node.readLocal(s -> new long[] {s.mvcc().revision(), s.mvcc().compactedRevision()});
      compaction.tick(System.currentTimeMillis(), revisions[0], revisions[1], node.isLeader()).ifPresent(revision -> {
        log.info("auto-compaction: compacting history before revision {}", revision);
        node.propose(StoreCommand.newBuilder()
                .setCompact(io.etcd.jetcd.api.CompactionRequest.newBuilder().setRevision(revision)).build())
            .exceptionally(e -> {
              log.warn("auto-compaction at revision {} failed: {}", revision, e.getMessage());
              return null;
            });
      });
    } catch (RuntimeException e) {
      log.warn("auto-compaction check failed", e);
    }
  }

  /** Publishes this member's name and client URL through the log, once, as etcd members do. */
  private void publishAttributes() {
    // A member joining does not wait to hear from a leader: the leader reaches it only once it
    // is staged, and Membership stages it once it has published (see Membership.addUntil).
    // Its proposal goes through the Raft client, which finds the leader among --peers.
    if (attributesPublished || (node.leaderId() == 0 && !config.joinExisting())) {
      return;
    }
    MemberAttributes mine = MemberAttributes.newBuilder()
        .setMemberId(node.memberId())
        .setName(config.name())
        // https when the etcd API is served over TLS, so that clients reading the member list
        // (etcdctl endpoint status --cluster, the dashboard) know how to reach it.
        .addClientUrls((config.tls() == null ? "http://" : "https://") + config.advertiseClientHost() + ":" + clientPort())
        .build();
    boolean current = node.readLocal(s -> s.members().contains(mine));
    if (current) {
      attributesPublished = true;
      return;
    }
    try {
      node.propose(StoreCommand.newBuilder().setMemberAttributes(mine).build()).get(5, TimeUnit.SECONDS);
      attributesPublished = true;
      log.info("published member attributes: name {}, client URL {}", mine.getName(), mine.getClientUrls(0));
    } catch (Exception e) {
      log.debug("publishing member attributes failed; will retry", e);
    }
  }

  private void registerGauges(StoreStateMachine sm) {
    metrics.gauge("berth_store_revision", "Current store revision", () -> node.readLocal(s -> s.mvcc().revision()));
    metrics.gauge("berth_store_compacted_revision", "Revision of the last compaction",
        () -> node.readLocal(s -> s.mvcc().compactedRevision()));
    metrics.gauge("berth_store_db_size_bytes", "Approximate bytes held by retained key versions",
        () -> node.readLocal(s -> s.mvcc().sizeBytes()));
    metrics.gauge("berth_store_leases", "Leases granted and not yet revoked or expired",
        () -> node.readLocal(s -> s.leases().size()));
    metrics.gauge("berth_store_watchers", "Watchers open on this replica", () -> sm.watchHub().size());
    metrics.gauge("berth_raft_term", "Current Raft term", node::term);
    metrics.gauge("berth_raft_is_leader", "1 if this replica is the Raft leader", () -> node.isLeader() ? 1 : 0);
    metrics.gauge("berth_raft_has_leader", "1 if this replica knows a leader", () -> node.leaderId() != 0 ? 1 : 0);
    metrics.gauge("berth_raft_commit_index", "Raft commit index", () -> safe(node::commitIndex));
    metrics.gauge("berth_raft_applied_index", "Index of the last entry applied to the state machine", node::appliedIndex);
  }

  private static double safe(java.util.function.LongSupplier s) {
    try {
      return s.getAsLong();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  public StoreNode node() {
    return node;
  }

  public Membership membership() {
    return membership;
  }

  public PrometheusRegistry metricsRegistry() {
    return metrics.registry();
  }

  public int clientPort() {
    return grpcServer.getPort();
  }

  public StoreConfig config() {
    return config;
  }

  /**
   * Healthy: the replica's Raft division runs and knows a leader (it can serve linearizable
   * requests). A division Ratis closed under the process still remembers its last leader, so
   * that alone said ready while every read failed; not ready now, so that it gets restarted.
   */
  public boolean isHealthy() {
    return node.canServe();
  }

  /**
   * Live: this replica could still serve, now or after catching up. Not once Ratis has closed its
   * division under the running process (a candidate outside its own configuration, a failed
   * state machine): Ratis never reopens it, so only a restart brings the member back, and a
   * supervisor probing /livez (systemd, a kubelet) does that. A joiner still STARTING is live.
   */
  public boolean isLive() {
    return !node.isRaftClosed();
  }

  @Override
  public void close() {
    grpcServer.shutdownNow();
    scheduler.shutdownNow();
    try {
      raftClient.close();
    } catch (IOException e) {
      log.warn("closing the raft client", e);
    }
    try {
      raftServer.close();
    } catch (IOException e) {
      log.warn("closing the raft server", e);
    }
    blockingExecutor.shutdownNow();
    replyExecutor.shutdownNow();
    log.info("store member {} stopped", config.name());
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
