package io.berth.ingress.nodeport;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.ingress.balancing.Balancer;
import io.berth.ingress.balancing.Ejections;
import io.berth.ingress.proxy.Transport;
import io.berth.ingress.routing.Backend;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service proxy of one node (kube-proxy's NodePort job, without iptables): listens on the
 * node's address at every nodePort of the cluster's NodePort and LoadBalancer Services and
 * forwards each TCP connection to a ready endpoint of that Service port. Watches Services and
 * Endpoints through the API; listeners open and close as Services come and go, and a connection
 * picks among the endpoints ready when it arrives.
 */
public final class NodePortProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodePortProxy.class);

  private final String nodeAddress;
  private final Transport transport = Transport.best();
  private final EventLoopGroup group = transport.newGroup(Math.max(1, Runtime.getRuntime().availableProcessors()));
  private final Balancer balancer = new Balancer(Ejections.withDefaults());
  private final Informer<Service> services;
  private final Informer<Endpoints> endpoints;
  private final ExecutorService rebuilder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "berth-nodeport-proxy");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final Map<Integer, Channel> listeners = new HashMap<>();
  private volatile Map<Integer, Backend> ports = Map.of();
  private volatile Set<Integer> listening = Set.of();

  private NodePortProxy(Client client, String nodeAddress) {
    this.nodeAddress = nodeAddress;
    this.services = informer(client.resource(Resource.SERVICE));
    this.endpoints = informer(client.resource(Resource.ENDPOINTS));
  }

  /** Starts watching and, once the first list is in, listening. */
  public static NodePortProxy start(Client client, String nodeAddress, Duration syncTimeout)
      throws InterruptedException {
    NodePortProxy proxy = new NodePortProxy(client, nodeAddress);
    proxy.services.start();
    proxy.endpoints.start();
    if (!proxy.services.awaitSynced(syncTimeout) || !proxy.endpoints.awaitSynced(syncTimeout)) {
      proxy.close();
      throw new IllegalStateException("could not list Services and Endpoints within " + syncTimeout);
    }
    proxy.changed();
    return proxy;
  }

  /** The node ports listened on now. */
  public Set<Integer> listening() {
    return listening;
  }

  private <T extends HasMetadata> Informer<T> informer(io.berth.client.ResourceClient<T> resource) {
    return Informer.builder(resource).handler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed();
      }

      @Override
      public void onUpdate(T before, T after) {
        changed();
      }

      @Override
      public void onDelete(T object) {
        changed();
      }
    }).build();
  }

  private void changed() {
    if (services.hasSynced() && endpoints.hasSynced() && dirty.compareAndSet(false, true)) {
      rebuilder.execute(this::rebuild);
    }
  }

  private void rebuild() {
    dirty.set(false);
    Map<Integer, Backend> next = NodePorts.of(services.cache().list(), endpoints.cache().list());
    ports = Map.copyOf(next);
    for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!next.containsKey(entry.getKey())) {
        entry.getValue().close();
        it.remove();
        log.info("node port {} closed: no Service uses it any more", entry.getKey());
      }
    }
    for (Map.Entry<Integer, Backend> entry : next.entrySet()) {
      if (!listeners.containsKey(entry.getKey())) {
        listen(entry.getKey(), entry.getValue().name());
      }
    }
    listening = Set.copyOf(new TreeSet<>(listeners.keySet()));
  }

  private void listen(int port, String backend) {
    try {
      Channel channel = new ServerBootstrap().group(group).channel(transport.serverChannel())
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new NodePortConnection(() -> ports.get(port), balancer,
                  transport.clientChannel()));
            }
          })
          .bind(nodeAddress, port).sync().channel();
      listeners.put(port, channel);
      log.info("node port {}:{} open for {}", nodeAddress, port, backend);
    } catch (Exception e) {
      // Taken by another process: tried again at the next change.
      log.warn("cannot listen on node port {}:{} for {}: {}", nodeAddress, port, backend, e.getMessage());
    }
  }

  @Override
  public void close() {
    services.close();
    endpoints.close();
    rebuilder.shutdownNow();
    try {
      rebuilder.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List.copyOf(listeners.values()).forEach(Channel::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
