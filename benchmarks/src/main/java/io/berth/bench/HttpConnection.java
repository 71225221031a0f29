package io.berth.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One keep-alive HTTP/1.1 connection to an API server, carrying one request at a time
 * (HTTP/1.1 without pipelining, as kubectl and client-go send). N concurrent clients
 * therefore need N connections, which is what {@link ApiClients} gives them. Replies
 * complete on the connection's event loop, so a closed-loop client's next request starts
 * there with no hand-off, as the store rows' gRPC callbacks do.
 */
final class HttpConnection implements AutoCloseable {
  static final int MAX_REPLY_BYTES = 64 << 20;

  /** A reply: status code and body. */
  record Reply(int status, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final Channel channel;
  private final String hostHeader;
  private final AtomicReference<CompletableFuture<Reply>> pending;

  private HttpConnection(Channel channel, String hostHeader, AtomicReference<CompletableFuture<Reply>> pending) {
    this.channel = channel;
    this.hostHeader = hostHeader;
    this.pending = pending;
  }

  /** Connects to {@code base} (http://host:port), blocking: never call it on an event loop. */
  static HttpConnection open(EventLoopGroup group, URI base) throws InterruptedException {
    AtomicReference<CompletableFuture<Reply>> pending = new AtomicReference<>();
    Channel channel = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_REPLY_BYTES),
                new ReplyHandler(pending));
          }
        })
        .connect(base.getHost(), base.getPort()).sync().channel();
    return new HttpConnection(channel, base.getHost() + ":" + base.getPort(), pending);
  }

  /** Sends a request; fails at once if one is already outstanding on this connection. */
  CompletableFuture<Reply> send(HttpMethod method, String path, byte[] jsonBody) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    if (!pending.compareAndSet(null, reply)) {
      return CompletableFuture.failedFuture(new IllegalStateException("a request is already in flight"));
    }
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
        jsonBody == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(jsonBody));
    request.headers()
        .set(HttpHeaderNames.HOST, hostHeader)
        .set(HttpHeaderNames.ACCEPT, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, jsonBody == null ? 0 : jsonBody.length);
    if (jsonBody != null) {
      request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    }
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess() && pending.compareAndSet(reply, null)) {
        reply.completeExceptionally(f.cause());
      }
    });
    return reply;
  }

  @Override
  public void close() {
    channel.close();
  }

  /** Completes the outstanding request with the reply, or fails it when the connection breaks. */
  private static final class ReplyHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final AtomicReference<CompletableFuture<Reply>> pending;

    ReplyHandler(AtomicReference<CompletableFuture<Reply>> pending) {
      this.pending = pending;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      CompletableFuture<Reply> reply = pending.getAndSet(null);
      if (reply != null) {
        reply.complete(new Reply(response.status().code(), ByteBufUtil.getBytes(response.content())));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(new IOException("connection to " + ctx.channel().remoteAddress() + " closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
      ctx.close();
    }

    private void fail(Throwable cause) {
      CompletableFuture<Reply> reply = pending.getAndSet(null);
      if (reply != null) {
        reply.completeExceptionally(cause);
      }
    }
  }
}
