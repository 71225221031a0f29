package io.berth.store.testing;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.WatchGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Real store replicas in this JVM on loopback ports, for integration tests:
 * start, stop (a crash as far as peers can tell), kill (stop without waiting
 * for the shutdown) and restart members by name, add new ones, get etcd API
 * stubs to any of them, and wait until they agree on a revision.
 */
public final class StoreCluster implements AutoCloseable {
  static {
    // Ratis ends the JVM when a server cannot start (its port taken by another process
    // meanwhile): in tests, let it throw instead, so one failure does not kill the run.
    org.apache.ratis.util.ExitUtils.disableSystemExit();
  }

  private final Path root;
  private final Map<String, String> peers = new LinkedHashMap<>();
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  /** Concurrent: background writers look at it while the test starts and stops members. */
  private final Map<String, StoreServer> running = new ConcurrentSkipListMap<>();
  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Void>> closing = new ConcurrentHashMap<>();
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

  /** Starts a member with this cluster's tuning plus {@code extra} (e.g. {@code b -> b.joinExisting(true)}). */
  public StoreServer startMember(String name, Consumer<StoreConfig.Builder> extra) {
    StoreConfig.Builder b = configFor(name);
    extra.accept(b);
    return startMember(b.build());
  }

  public StoreServer startMember(StoreConfig config) {
    awaitClosed(config.name());
    dropChannel(config.name());
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

  /**
   * Stops a member the way a crash looks to everyone else: it is gone at once, while its
   * shutdown (which waits for Ratis' channels to drain, up to seconds) finishes in the
   * background. Restarting it, or closing the cluster, waits for that shutdown.
   */
  public void killMember(String name) {
    StoreServer server = running.remove(name);
    if (server != null) {
      closing.put(name, CompletableFuture.runAsync(server::close));
    }
  }

  private void awaitClosed(String name) {
    CompletableFuture<Void> shutdown = closing.remove(name);
    if (shutdown != null) {
      shutdown.join();
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

  /** The revision a running member has applied. */
  public long revision(String name) {
    return running.get(name).node().readLocal(s -> s.mvcc().revision());
  }

  /**
   * Waits until every running member has applied the same revision and knows a
   * leader, and returns that revision. Call it when no writes are in flight.
   */
  public long awaitSameRevision(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Long> revisions = new LinkedHashMap<>();
    while (System.nanoTime() < deadline) {
      revisions.clear();
      running.keySet().forEach(name -> revisions.put(name, revision(name)));
      boolean allLed = running.values().stream().allMatch(StoreServer::isHealthy);
      if (allLed && revisions.values().stream().distinct().count() == 1) {
        return revisions.values().iterator().next();
      }
      sleep(20);
    }
    throw new AssertionError("members did not reach the same revision within " + timeout + ": " + revisions);
  }

  /** Every key a member holds, read from its local state (a serializable read). */
  public RangeResponse readAllSerializable(String name) {
    return kv(name).range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFrom(new byte[] {0}))
        .setRangeEnd(ByteString.copyFrom(new byte[] {0}))
        .setSerializable(true)
        .build());
  }

  /**
   * Puts {@code count} keys {@code prefix0000}, {@code prefix0001}... through a member,
   * up to 32 at a time (so Ratis batches them), and returns the highest revision.
   */
  public long putMany(String name, String prefix, int count) {
    KVGrpc.KVFutureStub kv = KVGrpc.newFutureStub(channel(name));
    Semaphore inFlight = new Semaphore(32);
    List<ListenableFuture<PutResponse>> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquireUninterruptibly();
      ListenableFuture<PutResponse> put = kv.withDeadlineAfter(20, TimeUnit.SECONDS).put(PutRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8(prefix + String.format("%04d", i)))
          .setValue(ByteString.copyFromUtf8("value-" + i))
          .build());
      put.addListener(inFlight::release, Runnable::run);
      puts.add(put);
    }
    long revision = 0;
    for (ListenableFuture<PutResponse> put : puts) {
      try {
        revision = Math.max(revision, put.get().getHeader().getRevision());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } catch (ExecutionException e) {
        throw new AssertionError("put through " + name + " failed", e.getCause());
      }
    }
    return revision;
  }

  /**
   * A channel to a member, shared by the calls made to it. A member (re)started gets a
   * fresh channel, so that clients do not wait out gRPC's reconnect back-off.
   */
  public synchronized ManagedChannel channel(String name) {
    return channels.computeIfAbsent(name, n -> NettyChannelBuilder.forAddress("127.0.0.1", clientPorts.get(n))
        .usePlaintext().build());
  }

  private synchronized void dropChannel(String name) {
    ManagedChannel channel = channels.remove(name);
    if (channel != null) {
      channel.shutdownNow();
    }
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
    synchronized (this) {
      channels.values().forEach(ManagedChannel::shutdownNow);
      channels.clear();
    }
    // All at once: each shutdown can take seconds.
    List.copyOf(running.keySet()).forEach(this::killMember);
    List.copyOf(closing.keySet()).forEach(this::awaitClosed);
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
