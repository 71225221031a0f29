package io.berth.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes API of the cluster as the closed-loop clients see it: client {@code i}
 * owns connection {@code i}, to replica {@code i % replicas}, so 256 clients are 256
 * requests in flight on 256 keep-alive connections. Replicas are in the store
 * {@link Target}'s order (followers first), so the 1-client rows go through a follower,
 * as the store rows do.
 */
final class ApiClients implements AutoCloseable {
  private final List<URI> replicas;
  private final EventLoopGroup group;
  private final List<HttpConnection> connections = new ArrayList<>();

  /**
   * @param apiUrls the API base URLs, one per replica, in the same order as {@code etcdEndpoints}
   * @param etcdEndpoints the same replicas' etcd endpoints, as given to the store target
   * @param orderedEndpoints the etcd endpoints as the store target ordered them
   */
  ApiClients(List<String> apiUrls, List<String> etcdEndpoints, List<String> orderedEndpoints) {
    if (apiUrls.size() != etcdEndpoints.size()) {
      throw new IllegalArgumentException(apiUrls.size() + " API URLs for " + etcdEndpoints.size() + " etcd endpoints");
    }
    List<URI> ordered = new ArrayList<>();
    for (String endpoint : orderedEndpoints) {
      ordered.add(URI.create(apiUrls.get(etcdEndpoints.indexOf(endpoint))));
    }
    this.replicas = List.copyOf(ordered);
    // Two loops, as the machine this was written on has two cores; replies are tiny work.
    this.group = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  List<URI> replicas() {
    return replicas;
  }

  /** Opens connections until there is one per client; blocking, so call it before a row starts. */
  void ensureConnections(int clients) throws InterruptedException {
    while (connections.size() < clients) {
      connections.add(HttpConnection.open(group, replicas.get(connections.size() % replicas.size())));
    }
  }

  HttpConnection connection(int client) {
    return connections.get(client);
  }

  /** A connection of its own to replica {@code index}, for setup calls and the watch writer. */
  HttpConnection open(int index) throws InterruptedException {
    return HttpConnection.open(group, replicas.get(index));
  }

  EventLoopGroup group() {
    return group;
  }

  @Override
  public void close() {
    connections.forEach(HttpConnection::close);
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
