package io.berth.apiserver.testing;

import io.berth.apiserver.access.AccessSettings;
import io.berth.apiserver.audit.AuditSink;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.http.ApiServer;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stacked control-plane replicas in this JVM, on loopback: each a raft-store
 * replica with an API server on its {@code StoreNode}, as {@code berth server} runs
 * them. (The same idea as raft-store's StoreCluster fixture, kept small.)
 */
public final class ApiCluster implements AutoCloseable {
  static {
    // Ratis ends the JVM when a server cannot start (its port taken by another process
    // meanwhile): in tests, let it throw instead, so one failure does not kill the run.
    org.apache.ratis.util.ExitUtils.disableSystemExit();
  }

  private final List<StoreServer> stores = new ArrayList<>();
  private final List<ApiServer> apis = new ArrayList<>();

  private ApiCluster() {}

  public static ApiCluster start(Path root, int size) throws IOException {
    return start(root, size, WatchCache.Settings.defaults());
  }

  /** A cluster whose API servers' watch caches have {@code caching}'s sizes. */
  public static ApiCluster start(Path root, int size, WatchCache.Settings caching) throws IOException {
    return start(root, size, caching, AccessSettings.open(), AuditSink.none());
  }

  /** A cluster whose API servers authenticate and authorize as {@code access} says. */
  public static ApiCluster start(Path root, int size, AccessSettings access) throws IOException {
    return start(root, size, WatchCache.Settings.defaults(), access, AuditSink.none());
  }

  /** As above, every replica recording its mutating requests in {@code audit}. */
  public static ApiCluster start(Path root, int size, AccessSettings access, AuditSink audit) throws IOException {
    return start(root, size, WatchCache.Settings.defaults(), access, audit);
  }

  private static ApiCluster start(Path root, int size, WatchCache.Settings caching, AccessSettings access,
      AuditSink audit) throws IOException {
    ApiCluster cluster = new ApiCluster();
    Map<String, String> peers = new LinkedHashMap<>();
    for (int i = 1; i <= size; i++) {
      peers.put("s" + i, "127.0.0.1:" + freePort());
    }
    try {
      for (String name : peers.keySet()) {
        cluster.stores.add(StoreServer.start(StoreConfig.builder()
            .name(name)
            .dataDir(root.resolve(name))
            .peers(peers)
            .clientHost("127.0.0.1")
            .clientPort(freePort())
            .build()));
      }
      for (StoreServer store : cluster.stores) {
        cluster.apis.add(ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store.node(), caching,
            new io.prometheus.metrics.model.registry.PrometheusRegistry(), io.berth.apiserver.access.ApiSecurity.plaintext(),
            access, audit, java.util.Map.of()));
      }
      for (ApiServer api : cluster.apis) {
        api.systemNamespacesReady().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      cluster.close();
      throw e instanceof IOException io ? io : new IOException("cluster did not start: " + e, e);
    }
    return cluster;
  }

  /** The API base URL of replica {@code i} (0-based), e.g. http://127.0.0.1:34567. */
  public String url(int i) {
    return "http://127.0.0.1:" + apis.get(i).port();
  }

  /** Index of a replica that is not the store leader, so a read through it is a follower read. */
  public int follower() {
    for (int i = 0; i < stores.size(); i++) {
      if (!stores.get(i).node().isLeader()) {
        return i;
      }
    }
    throw new IllegalStateException("every replica is the leader?");
  }

  public int leader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < stores.size(); i++) {
        if (stores.get(i).node().isLeader()) {
          return i;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no leader within " + timeout);
  }

  /** Stops replica {@code i}'s API server and store replica, as a crash of its process would. */
  public void kill(int i) {
    apis.get(i).close();
    stores.get(i).close();
  }

  @Override
  public void close() {
    for (ApiServer api : apis) {
      try {
        api.close();
      } catch (RuntimeException e) {
        // already stopped by kill()
      }
    }
    for (StoreServer store : stores) {
      try {
        store.close();
      } catch (RuntimeException e) {
        // already stopped by kill()
      }
    }
  }

  public static int freePort() {
    return io.berth.store.net.FreePorts.pick();
  }

}
