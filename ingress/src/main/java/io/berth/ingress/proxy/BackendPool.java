package io.berth.ingress.proxy;

import io.berth.ingress.balancing.Upstream;
import io.berth.ingress.metrics.IngressMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keep-alive connections to upstreams, pooled per event loop: a client connection's requests
 * go out on connections of the same event loop, so a request never crosses threads and the
 * pool needs no locks (each loop's part is touched only by its own thread).
 */
final class BackendPool {
  /** Idle connections kept per upstream and event loop; more are closed when released. */
  static final int MAX_IDLE_PER_UPSTREAM = 256;
  /** An idle pooled connection is closed after this long (backends close theirs too, often sooner). */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  private final Transport transport;
  private final IngressMetrics metrics;
  private final Map<EventLoop, Map<Upstream, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();

  BackendPool(Transport transport, IngressMetrics metrics) {
    this.transport = transport;
    this.metrics = metrics;
  }

  /**
   * An idle pooled connection to {@code upstream} on {@code loop}, or null; called on {@code loop}.
   */
  Channel pollIdle(EventLoop loop, Upstream upstream) {
    ArrayDeque<Channel> channels = idleOf(loop, upstream);
    Channel channel;
    while ((channel = channels.pollLast()) != null) {
      if (channel.isActive()) {
        return channel;
      }
    }
    return null;
  }

  /** A new connection to {@code upstream} on {@code loop}. */
  ChannelFuture connect(EventLoop loop, Upstream upstream, Duration connectTimeout) {
    return new Bootstrap().group(loop).channel(transport.clientChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .handler(new BackendInitializer(this, upstream, metrics))
        .connect(upstream.host(), upstream.port());
  }

  /** Returns a connection whose exchange ended cleanly, for the next request; called on its loop. */
  void release(Channel channel, Upstream upstream) {
    ArrayDeque<Channel> channels = idleOf(channel.eventLoop(), upstream);
    if (channel.isActive() && channels.size() < MAX_IDLE_PER_UPSTREAM) {
      channels.addLast(channel);
    } else {
      channel.close();
    }
  }

  /** Forgets a connection that closed; called on its loop. */
  void closed(Channel channel, Upstream upstream) {
    Map<Upstream, ArrayDeque<Channel>> byUpstream = idle.get(channel.eventLoop());
    ArrayDeque<Channel> channels = byUpstream == null ? null : byUpstream.get(upstream);
    if (channels != null) {
      channels.remove(channel);
    }
  }

  private ArrayDeque<Channel> idleOf(EventLoop loop, Upstream upstream) {
    return idle.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(upstream, u -> new ArrayDeque<>());
  }
}
