package io.berth.ingress.proxy;

import io.berth.ingress.balancing.Balancer;
import io.berth.ingress.balancing.Ejections;
import io.berth.ingress.balancing.RetryBudget;
import io.berth.ingress.metrics.IngressMetrics;
import io.berth.ingress.routing.RoutingTables;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress proxy's startup: event loops, listening sockets and their pipelines
 * ({@link FrontendInitializer} for plain HTTP, {@link TlsInitializer} for HTTPS). It routes by
 * whatever {@link RoutingTables} holds at each request; keeping the tables current is the
 * {@code RouteWatcher}'s job.
 */
public final class IngressServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngressServer.class);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final List<Channel> listeners = new ArrayList<>();
  private final Transport transport;
  private IngressMetrics metrics;

  private IngressServer(Transport transport, EventLoopGroup boss, EventLoopGroup workers) {
    this.transport = transport;
    this.boss = boss;
    this.workers = workers;
  }

  /** Settings of {@link #start}. */
  public record Settings(InetSocketAddress http, InetSocketAddress https, int threads, int maxAttempts) {
    /** Plain HTTP only, one event loop per core, three attempts per request. */
    public static Settings http(InetSocketAddress http) {
      return new Settings(http, null, Runtime.getRuntime().availableProcessors(), 3);
    }

    public Settings withHttps(InetSocketAddress address) {
      return new Settings(http, address, threads, maxAttempts);
    }
  }

  /**
   * Starts listening.
   *
   * @param certificates TLS certificates by server name (SNI), for the HTTPS listener; null for none
   */
  public static IngressServer start(Settings settings, RoutingTables tables, IngressMetrics metrics,
      Mapping<String, SslContext> certificates) throws IOException {
    Transport transport = Transport.best();
    IngressServer server = new IngressServer(transport, transport.newGroup(1), transport.newGroup(settings.threads()));
    ProxyContext proxy = server.context(tables, metrics, settings.maxAttempts());
    server.metrics = metrics;
    try {
      server.listen(settings.http(), new FrontendInitializer(proxy));
      if (settings.https() != null && certificates != null) {
        server.listen(settings.https(), new TlsInitializer(proxy, certificates));
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    log.info("ingress listening on http {} https {} ({} transport, {} event loops)", server.httpPort(),
        settings.https() == null ? "-" : server.httpsPort(), transport.name(), settings.threads());
    return server;
  }

  /** The state every connection's handlers share. */
  private ProxyContext context(RoutingTables tables, IngressMetrics metrics, int maxAttempts) {
    return new ProxyContext(tables, new Balancer(Ejections.withDefaults()), RetryBudget.withDefaults(),
        new BackendPool(transport, metrics), metrics, maxAttempts);
  }

  private void listen(InetSocketAddress address, ChannelInitializer<SocketChannel> pipeline) throws IOException {
    try {
      Channel channel = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
          .childHandler(pipeline)
          .bind(address).sync().channel();
      listeners.add(channel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + address, e);
    } catch (Exception e) {
      throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  public int httpPort() {
    return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
  }

  public int httpsPort() {
    return listeners.size() < 2 ? -1 : ((InetSocketAddress) listeners.get(1).localAddress()).getPort();
  }

  /**
   * Stops accepting connections, waits up to {@link #DRAIN} for the requests in flight to finish
   * (so that stopping one ingress of several fails no request), then closes every connection.
   */
  @Override
  public void close() {
    listeners.forEach(Channel::close);
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (metrics != null && metrics.activeRequests() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (metrics != null && metrics.activeRequests() > 0) {
      log.info("closing with {} requests still in flight after {} s of draining", metrics.activeRequests(),
          DRAIN.toSeconds());
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** How long {@link #close} waits for requests in flight. */
  public static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(10);
}
