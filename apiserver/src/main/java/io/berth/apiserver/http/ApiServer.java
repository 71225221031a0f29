package io.berth.apiserver.http;

import io.berth.apiserver.access.AccessSettings;
import io.berth.apiserver.access.ApiSecurity;
import io.berth.apiserver.access.Authenticator;
import io.berth.apiserver.access.Authorizer;
import io.berth.apiserver.access.CachedBoundPods;
import io.berth.apiserver.access.CachedRbacPolicy;
import io.berth.apiserver.access.RbacAuthorizer;
import io.berth.apiserver.audit.AuditSink;
import io.berth.apiserver.bootstrap.BootstrapPolicy;
import io.berth.apiserver.bootstrap.SystemNamespaces;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.dashboard.Dashboard;
import io.berth.apiserver.dashboard.MemberStatuses;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.openapi.OpenApiV3;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.MetadataPolicy;
import io.berth.apiserver.rest.ResourceHandler;
import io.berth.apiserver.storage.ChangeFeed;
import io.berth.apiserver.storage.EtcdChangeFeed;
import io.berth.apiserver.storage.EtcdObjectStore;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.encryption.AtRestEncryption;
import io.berth.apiserver.storage.encryption.DecryptingChangeFeed;
import io.berth.apiserver.storage.encryption.EncryptingObjectStore;
import io.berth.apiserver.storage.encryption.EncryptionConfig;
import io.berth.apiserver.storage.encryption.ValueTransformer;
import java.util.Map;
import io.berth.store.server.StoreNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API of one replica, served over HTTP/1.1 (HTTPS when {@link ApiSecurity} has TLS) on Netty and backed
 * by the replica's own {@link StoreNode} (the stacked control plane: no hop between
 * API server and store). Start it with {@link #start}; it creates the system
 * namespaces in the background ({@link #systemNamespacesReady()}).
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;
  private final ScheduledExecutorService scheduler;
  private final WatchCaches caches;
  private final CompletableFuture<Void> systemNamespaces;

  private ApiServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel, ScheduledExecutorService scheduler,
      WatchCaches caches, CompletableFuture<Void> systemNamespaces) {
    this.caches = caches;
    this.boss = boss;
    this.workers = workers;
    this.channel = channel;
    this.scheduler = scheduler;
    this.systemNamespaces = systemNamespaces;
  }

  /** Serves the API on {@code address} (port 0 picks a free one) over {@code node}'s store. */
  public static ApiServer start(InetSocketAddress address, StoreNode node) throws IOException {
    return start(address, node, WatchCache.Settings.defaults(), new PrometheusRegistry());
  }

  /**
   * As {@link #start(InetSocketAddress, StoreNode)}, with watch caches sized and paced by
   * {@code caching}, and metrics registered in {@code registry} (the process's /metrics).
   */
  public static ApiServer start(InetSocketAddress address, StoreNode node, WatchCache.Settings caching,
      PrometheusRegistry registry) throws IOException {
    return start(address, node, caching, registry, ApiSecurity.plaintext(), AccessSettings.open(), AuditSink.none(),
        Map.of());
  }

  /**
   * As above, with TLS as {@code security} says, authorization (and, without TLS, authentication)
   * as {@code access} says, every mutating request recorded in {@code audit}, and the values of
   * the resources in {@code encryption} (from an encryption provider config:
   * {@link EncryptionConfig}) encrypted in the store.
   *
   * @throws IllegalArgumentException if {@code encryption} names a resource the API does not serve
   */
  public static ApiServer start(InetSocketAddress address, StoreNode node, WatchCache.Settings caching,
      PrometheusRegistry registry, ApiSecurity security, AccessSettings access, AuditSink audit,
      Map<String, ValueTransformer> encryption) throws IOException {
    return start(address, node, caching, registry, security, access, audit, encryption, MemberStatuses.unknown());
  }

  /** As above, with the dashboard at /ui showing the store members' statuses from {@code members}. */
  public static ApiServer start(InetSocketAddress address, StoreNode node, WatchCache.Settings caching,
      PrometheusRegistry registry, ApiSecurity security, AccessSettings access, AuditSink audit,
      Map<String, ValueTransformer> encryption, MemberStatuses members) throws IOException {
    AtRestEncryption atRest = AtRestEncryption.of(encryption, ResourceTable.builtIn());
    return start(address, new EncryptingObjectStore(new EtcdObjectStore(node), atRest),
        new DecryptingChangeFeed(new EtcdChangeFeed(node), atRest), caching, registry, security, access, audit,
        new Dashboard(members), HealthChecks.of(node));
  }

  /** Serves the API over any {@link ObjectStore}, with watch caches fed by {@code feed}. */
  public static ApiServer start(InetSocketAddress address, ObjectStore store, ChangeFeed feed) throws IOException {
    return start(address, store, feed, WatchCache.Settings.defaults(), new PrometheusRegistry(),
        ApiSecurity.plaintext(), AccessSettings.open(), AuditSink.none(), new Dashboard(MemberStatuses.unknown()),
        HealthChecks.alwaysOk());
  }

  /** As {@link #start(InetSocketAddress, ObjectStore, ChangeFeed)}, with TLS and authentication as {@code security} says. */
  public static ApiServer start(InetSocketAddress address, ObjectStore store, ChangeFeed feed, ApiSecurity security)
      throws IOException {
    return start(address, store, feed, WatchCache.Settings.defaults(), new PrometheusRegistry(), security,
        AccessSettings.open(), AuditSink.none(), new Dashboard(MemberStatuses.unknown()),
        HealthChecks.alwaysOk());
  }

  /** As above, authorizing (and, without TLS, authenticating) as {@code access} says and auditing into {@code audit}. */
  public static ApiServer start(InetSocketAddress address, ObjectStore store, ChangeFeed feed, ApiSecurity security,
      AccessSettings access, AuditSink audit) throws IOException {
    return start(address, store, feed, WatchCache.Settings.defaults(), new PrometheusRegistry(), security, access,
        audit, new Dashboard(MemberStatuses.unknown()), HealthChecks.alwaysOk());
  }

  private static ApiServer start(InetSocketAddress address, ObjectStore store, ChangeFeed feed,
      WatchCache.Settings caching, PrometheusRegistry registry, ApiSecurity security, AccessSettings access,
      AuditSink audit, Dashboard dashboard, HealthChecks health) throws IOException {
    ResourceTable table = ResourceTable.builtIn();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "berth-api-timer");
      t.setDaemon(true);
      return t;
    });
    WatchCaches caches = new WatchCaches(table, feed, caching, scheduler);
    caches.start();
    ResourceHandler resources = new ResourceHandler(table, store, caches,
        new MetadataPolicy(Clock.systemUTC(), new SecureRandom()), scheduler, security.agents(),
        security.tokens() != null && security.tokens().canMint());
    RbacAuthorizer rbac = new RbacAuthorizer(new CachedRbacPolicy(table, caches));
    CachedBoundPods pods = new CachedBoundPods(caches.of(table.find("", "v1", "pods").orElseThrow()));
    Authorizer authorizer = access.authorizer(rbac, pods);
    if (security.tokens() != null) {
      // Tokens bound to a pod (those the agents mount) are good while the pod exists with that UID.
      security.tokens().checkPodsWith((namespace, name, uid) -> pods.pod(namespace, name)
          .filter(p -> uid.isEmpty() || uid.equals(p.getMetadata().getUid())).isPresent());
    }
    // Over TLS the security's chain authenticates (client certificates, service-account tokens and
    // the token authenticators it was given); over plain HTTP, the access settings' (tokens only).
    Authenticator authenticator = security.tls() != null ? security.authenticator() : access.authenticator();
    Router router = new Router(new Discovery(table), new OpenApiV3(table), resources, authenticator,
        authorizer, new InFlightLimiter(InFlightLimiter.DEFAULT_READS, InFlightLimiter.DEFAULT_MUTATIONS),
        registry, caches::watcherCount, security.tokens(), audit, access.admission(rbac, authorizer), dashboard,
        health);

    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup workers = new NioEventLoopGroup();
    Channel channel;
    try {
      channel = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ApiServerInitializer(router, store, security.tls(), security.agents()))
          .bind(address).sync().channel();
    } catch (Exception e) {
      caches.close();
      scheduler.shutdownNow();
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        throw new BindException("cannot serve the API on " + address + ": address in use");
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot serve the API on " + address + ": " + e, e);
    }
    var namespaces = new SystemNamespaces(resources, table.find("", "v1", "namespaces").orElseThrow(), scheduler);
    // The built-in RBAC policy is created whatever the authorization mode, as kube-apiserver
    // does, so switching RBAC on later finds it there.
    CompletableFuture<Void> ready = CompletableFuture.allOf(namespaces.ensure(),
        new BootstrapPolicy(resources, table, scheduler).ensure());
    log.info("Kubernetes API listening on {} ({})", channel.localAddress(), security.tls() == null ? "plain HTTP" : "HTTPS");
    return new ApiServer(boss, workers, channel, scheduler, caches, ready);
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Completes once default, kube-system and kube-node-lease exist, and the built-in RBAC roles and bindings. */
  public CompletableFuture<Void> systemNamespacesReady() {
    return systemNamespaces;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    caches.close();
    scheduler.shutdownNow();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
