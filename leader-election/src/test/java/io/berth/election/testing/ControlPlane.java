package io.berth.election.testing;

import io.berth.apiserver.http.ApiServer;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Control-plane replicas in this JVM on loopback, as {@code berth server} runs them: a
 * raft-store replica each, with an API server on it when asked. Replicas are numbered from
 * 0; {@link #kill} makes one vanish at once, as kill -9 looks to its peers. (The idea of
 * raft-store's StoreCluster and apiserver's ApiCluster, kept to what elections need.)
 */
public final class ControlPlane implements AutoCloseable {
  static {
    // Ratis ends the JVM when a server cannot start (its port taken meanwhile): let it throw.
    org.apache.ratis.util.ExitUtils.disableSystemExit();
  }

  private final List<StoreConfig> configs = new ArrayList<>();
  private final List<StoreServer> stores = new ArrayList<>();
  private final List<ApiServer> apis = new ArrayList<>();
  private final List<CompletableFuture<Void>> closing = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final boolean withApi;

  private ControlPlane(boolean withApi) {
    this.withApi = withApi;
  }

  public static ControlPlane start(Path root, int size, boolean withApi) throws Exception {
    ControlPlane plane = new ControlPlane(withApi);
    Map<String, String> peers = new LinkedHashMap<>();
    for (int i = 1; i <= size; i++) {
      peers.put("s" + i, "127.0.0.1:" + freePort());
    }
    for (String name : peers.keySet()) {
      plane.configs.add(StoreConfig.builder().name(name).dataDir(root.resolve(name)).peers(peers)
          .clientHost("127.0.0.1").clientPort(freePort()).build());
      plane.stores.add(null);
      plane.apis.add(null);
      plane.closing.add(CompletableFuture.completedFuture(null));
    }
    try {
      // Every store first: an API server waits for its system namespaces, which takes a quorum.
      for (int i = 0; i < size; i++) {
        plane.stores.set(i, StoreServer.start(plane.configs.get(i)));
      }
      for (int i = 0; i < size; i++) {
        plane.startApi(i);
      }
      plane.storeLeader(Duration.ofSeconds(30));
    } catch (Exception e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  /** Starts (or restarts, on its data) replica {@code i}. */
  public void startReplica(int i) throws Exception {
    closing.get(i).join();
    stores.set(i, StoreServer.start(configs.get(i)));
    startApi(i);
  }

  private void startApi(int i) throws Exception {
    if (withApi) {
      ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), stores.get(i).node(),
          io.berth.apiserver.cache.WatchCache.Settings.defaults(), new PrometheusRegistry());
      apis.set(i, api);
      api.systemNamespacesReady().get(30, TimeUnit.SECONDS);
    }
  }

  /** Replica {@code i} is gone at once; its shutdown finishes in the background. */
  public void kill(int i) {
    ApiServer api = apis.set(i, null);
    StoreServer store = stores.set(i, null);
    closing.set(i, CompletableFuture.runAsync(() -> {
      if (api != null) {
        api.close();
      }
      if (store != null) {
        store.close();
      }
    }));
  }

  /** The store's client endpoints, replica {@code first}'s before the others (as a replica's own components list them). */
  public List<String> storeEndpoints(int first) {
    List<String> endpoints = new ArrayList<>();
    for (int k = 0; k < configs.size(); k++) {
      endpoints.add(endpoint((first + k) % configs.size()));
    }
    return endpoints;
  }

  public String endpoint(int i) {
    return "127.0.0.1:" + configs.get(i).clientPort();
  }

  public String apiUrl(int i) {
    return "http://127.0.0.1:" + apis.get(i).port();
  }

  public int storeLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < stores.size(); i++) {
        StoreServer s = stores.get(i);
        if (s != null && s.node().isLeader()) {
          return i;
        }
      }
      sleep(20);
    }
    throw new AssertionError("no store leader within " + timeout);
  }

  /** A replica that runs and does not lead the store. */
  public int storeFollower() {
    int leader = storeLeader(Duration.ofSeconds(10));
    for (int i = 0; i < stores.size(); i++) {
      if (i != leader && stores.get(i) != null) {
        return i;
      }
    }
    throw new AssertionError("no running follower");
  }

  public KVGrpc.KVBlockingStub kv(int i) {
    return KVGrpc.newBlockingStub(channel(i)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  public LeaseGrpc.LeaseBlockingStub lease(int i) {
    return LeaseGrpc.newBlockingStub(channel(i)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private synchronized ManagedChannel channel(int i) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint(i)).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() {
    synchronized (this) {
      channels.forEach(ManagedChannel::shutdownNow);
    }
    for (int i = 0; i < stores.size(); i++) {
      if (stores.get(i) != null) {
        kill(i);
      }
    }
    closing.forEach(CompletableFuture::join);
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static int freePort() {
    return io.berth.store.net.FreePorts.pick();
  }

}
