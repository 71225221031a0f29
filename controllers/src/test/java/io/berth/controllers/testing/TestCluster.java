package io.berth.controllers.testing;

import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.http.ApiServer;
import io.berth.client.Client;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
 * A real control plane in this JVM, on loopback: {@code size} stacked replicas, each a
 * raft-store replica with an API server on it, as {@code berth server} runs them (the
 * idea of apiserver's ApiCluster fixture, kept here so that this module's main code
 * never depends on the control plane). Controllers reach it only through {@link #client()}.
 */
public final class TestCluster implements AutoCloseable {
  static {
    // Ratis ends the JVM when a server cannot start (its port taken meanwhile): let it throw.
    org.apache.ratis.util.ExitUtils.disableSystemExit();
  }

  private final List<StoreServer> stores = new ArrayList<>();
  private final List<ApiServer> apis = new ArrayList<>();
  private final List<Client> clients = new ArrayList<>();

  private TestCluster() {}

  public static TestCluster start(Path root, int size) throws IOException {
    TestCluster cluster = new TestCluster();
    Map<String, String> peers = new LinkedHashMap<>();
    for (int i = 1; i <= size; i++) {
      peers.put("s" + i, "127.0.0.1:" + freePort());
    }
    try {
      for (String name : peers.keySet()) {
        cluster.stores.add(StoreServer.start(StoreConfig.builder().name(name).dataDir(root.resolve(name))
            .peers(peers).clientHost("127.0.0.1").clientPort(freePort()).build()));
      }
      for (StoreServer store : cluster.stores) {
        cluster.apis.add(ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store.node(),
            WatchCache.Settings.defaults(), new PrometheusRegistry()));
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

  /** The API base URL of replica {@code i} (0-based). */
  public String url(int i) {
    return "http://127.0.0.1:" + apis.get(i).port();
  }

  /** A new client over every replica (closed with the cluster). */
  public synchronized Client client() {
    Client client = Client.builder().endpoints(apis.stream().map(a -> "http://127.0.0.1:" + a.port()).toList()
        .toArray(String[]::new)).callTimeout(Duration.ofSeconds(10)).build();
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    clients.forEach(Client::close);
    for (ApiServer api : apis) {
      quietly(api::close);
    }
    for (StoreServer store : stores) {
      quietly(store::close);
    }
  }

  private static void quietly(Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      // already stopped
    }
  }

  private static int freePort() {
    return io.berth.store.net.FreePorts.pick();
  }

}
