package io.berth.ingress.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a connection (or of one HTTP/2 stream): starts a {@link ProxyExchange} per
 * request and feeds it the request body. Requests on one connection are served one at a time: a
 * pipelined request is held here until the response before it is complete. Reading is paused
 * only for backpressure, never per request (on epoll each pause and resume is a system call).
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

  private final ProxyContext proxy;
  private final boolean tls;
  private ChannelHandlerContext ctx;
  private ProxyExchange current;
  /** Pipelined messages waiting for the exchange before them; past MAX_HELD the connection is not read. */
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private static final int MAX_HELD = 16;
  private boolean draining;

  FrontendHandler(ProxyContext proxy, boolean tls) {
    this.proxy = proxy;
    this.tls = tls;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    proxy.metrics().connectionOpened("client");
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (current != null && !current.isDone() && current.requestComplete()) {
      // A pipelined request: it waits for the response before it (HTTP/1.1 answers in order).
      held.add(msg);
      if (held.size() > MAX_HELD) {
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    dispatch(ctx, msg);
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      if (request.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        var answer = LocalAnswers.badRequest(ctx.alloc(), "malformed request: " + request.decoderResult().cause());
        answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (current != null && !current.isDone()) {
        // Not reachable with the flow control in front; refuse rather than interleave two exchanges.
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      current = new ProxyExchange(proxy, this, ctx, request, tls);
      current.start();
      if (msg instanceof FullHttpRequest) {
        ReferenceCountUtil.release(msg); // the exchange kept its own reference to the body
      }
    } else if (msg instanceof HttpContent content) {
      if (current != null && !current.isDone()) {
        current.requestContent(content);
      } else {
        content.release(); // the rest of a request answered already
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (current != null) {
      current.flushToUpstream();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.clientWritabilityChanged(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    proxy.metrics().connectionClosed("client");
    held.forEach(ReferenceCountUtil::release);
    held.clear();
    if (current != null) {
      current.clientClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** The exchange answered: go on with the client's next request (or the rest of this one's body, to drop it). */
  void exchangeDone(ProxyExchange exchange) {
    if (exchange != current || !ctx.channel().isActive()) {
      return;
    }
    if (!ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
    if (draining) {
      return; // the loop below, further up the stack, goes on
    }
    draining = true;
    try {
      while (!held.isEmpty() && (current.isDone() || !current.requestComplete())) {
        dispatch(ctx, held.poll());
      }
    } finally {
      draining = false;
    }
  }
}
