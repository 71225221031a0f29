package io.berth.ingress.proxy;

import io.berth.ingress.balancing.Upstream;
import io.berth.ingress.metrics.IngressMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The upstream side of a connection: hands the response to the exchange using the connection
 * now, and tells it when the connection ends. Between exchanges the connection is idle in the
 * {@link BackendPool}; anything an upstream sends then is a protocol error, and the connection is closed.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private final BackendPool pool;
  private final Upstream upstream;
  private final IngressMetrics metrics;
  private ProxyExchange exchange;

  BackendHandler(BackendPool pool, Upstream upstream, IngressMetrics metrics) {
    this.pool = pool;
    this.upstream = upstream;
    this.metrics = metrics;
  }

  /** Binds the connection to {@code exchange} (null: back to idle). */
  void exchange(ProxyExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    metrics.connectionOpened("upstream");
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (exchange != null && msg instanceof HttpObject http) {
      exchange.fromBackend(http);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.flushToClient();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.backendWritabilityChanged(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    metrics.connectionClosed("upstream");
    pool.closed(ctx.channel(), upstream);
    ProxyExchange current = exchange;
    exchange = null;
    if (current != null) {
      current.backendClosed();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && exchange == null) {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and parse errors end the connection; channelInactive tells the exchange.
    ctx.close();
  }
}
