package io.berth.store.testing;

import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.WatchGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Real store replicas in this JVM on loopback ports, for integration tests:
 * start, stop (a crash as far as peers can tell) and restart members by name,
 * and get etcd API stubs to any of them.
 */
public final class StoreCluster implements AutoCloseable {
  private final Path root;
  private final Map<String, String> peers = new LinkedHashMap<>();
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  private final Map<String, StoreServer> running = new LinkedHashMap<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Consumer<StoreConfig.Builder> tuning;

  private StoreCluster(Path root, int size, Consumer<StoreConfig.Builder> tuning) {
    this.root = root;
    this.tuning = tuning;
    for (int i = 1; i <= size; i++) {
      peers.put("s" + i, "127.0.0.1:" + freePort());
      clientPorts.put("s" + i, freePort());
    }
  }

  public static StoreCluster start(Path root, int size) {
    return start(root, size, b -> { });
  }

  public static StoreCluster start(Path root, int size, Consumer<StoreConfig.Builder> tuning) {
    StoreCluster cluster = new StoreCluster(root, size, tuning);
    for (String name : List.copyOf(cluster.peers.keySet())) {
      cluster.startMember(name);
    }
    cluster.awaitLeader(Duration.ofSeconds(30));
    return cluster;
  }

  public StoreConfig.Builder configFor(String name) {
    StoreConfig.Builder b = StoreConfig.builder()
        .name(name)
        .dataDir(root.resolve(name))
        .peers(peers)
        .clientHost("127.0.0.1")
        .clientPort(clientPorts.get(name));
    tuning.accept(b);
    return b;
  }

  public StoreServer startMember(String name) {
    return startMember(configFor(name).build());
  }

  public StoreServer startMember(StoreConfig config) {
    try {
      StoreServer server = StoreServer.start(config);
      running.put(config.name(), server);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds a name and addresses for a member that is not part of the initial peers. */
  public String reserveMember(String name) {
    peers.put(name, "127.0.0.1:" + freePort());
    clientPorts.put(name, freePort());
    return peers.get(name);
  }

  public void stopMember(String name) {
    StoreServer server = running.remove(name);
    if (server != null) {
      server.close();
    }
  }

  public StoreServer member(String name) {
    return running.get(name);
  }

  public Map<String, StoreServer> running() {
    return running;
  }

  public String leaderName() {
    for (Map.Entry<String, StoreServer> e : running.entrySet()) {
      if (e.getValue().node().isLeader()) {
        return e.getKey();
      }
    }
    return null;
  }

  public String awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String leader = leaderName();
      if (leader != null) {
        return leader;
      }
      sleep(20);
    }
    throw new AssertionError("no leader within " + timeout);
  }

  public String followerName() {
    String leader = leaderName();
    return running.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
  }

  public ManagedChannel channel(String name) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", clientPorts.get(name))
        .usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  public KVGrpc.KVBlockingStub kv(String name) {
    return KVGrpc.newBlockingStub(channel(name)).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  public LeaseGrpc.LeaseBlockingStub lease(String name) {
    return LeaseGrpc.newBlockingStub(channel(name)).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  public WatchGrpc.WatchStub watch(String name) {
    return WatchGrpc.newStub(channel(name));
  }

  public ClusterGrpc.ClusterBlockingStub cluster(String name) {
    return ClusterGrpc.newBlockingStub(channel(name)).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  public MaintenanceGrpc.MaintenanceBlockingStub maintenance(String name) {
    return MaintenanceGrpc.newBlockingStub(channel(name)).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  public String clientEndpoint(String name) {
    return "127.0.0.1:" + clientPorts.get(name);
  }

  public List<String> names() {
    return List.copyOf(peers.keySet());
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    for (String name : List.copyOf(running.keySet())) {
      stopMember(name);
    }
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
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
