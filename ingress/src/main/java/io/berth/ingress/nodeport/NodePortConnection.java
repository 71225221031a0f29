package io.berth.ingress.nodeport;

import io.berth.ingress.relay.TcpRelay;

import io.berth.ingress.balancing.Balancer;
import io.berth.ingress.balancing.Upstream;
import io.berth.ingress.routing.Backend;
import io.berth.ingress.routing.BackendPolicy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One client connection to a node port: picks a ready endpoint (round robin, ejected ones
 * skipped), connects to it, trying the next endpoint while connections are refused, then relays
 * bytes both ways. The client is not read until the upstream connection is there.
 */
final class NodePortConnection extends ChannelInboundHandlerAdapter {
  private final Supplier<Backend> backend;
  private final Balancer balancer;
  private final Class<? extends Channel> clientChannel;
  private final Set<Upstream> tried = new HashSet<>();

  NodePortConnection(Supplier<Backend> backend, Balancer balancer, Class<? extends Channel> clientChannel) {
    this.backend = backend;
    this.balancer = balancer;
    this.clientChannel = clientChannel;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(false);
    connect(ctx);
  }

  private void connect(ChannelHandlerContext ctx) {
    Backend target = backend.get();
    Upstream upstream = target == null ? null
        : balancer.pick(target.name(), target.upstreams(), BackendPolicy.Balancing.ROUND_ROBIN, tried);
    if (upstream == null) {
      ctx.close(); // no ready endpoint (left): a TCP client learns it by the connection closing
      return;
    }
    tried.add(upstream);
    Channel client = ctx.channel();
    new Bootstrap().group(client.eventLoop()).channel(clientChannel)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) BackendPolicy.DEFAULTS.connectTimeout().toMillis())
        .option(ChannelOption.AUTO_READ, false)
        .handler(new TcpRelay(client))
        .connect(upstream.host(), upstream.port())
        .addListener((ChannelFutureListener) f -> {
          if (!client.isActive()) {
            f.channel().close();
          } else if (f.isSuccess()) {
            balancer.ejections().connected(upstream);
            ctx.pipeline().replace(this, "relay", new TcpRelay(f.channel()));
            client.config().setAutoRead(true);
            f.channel().config().setAutoRead(true);
          } else {
            balancer.ejections().connectFailed(upstream);
            connect(ctx);
          }
        });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
