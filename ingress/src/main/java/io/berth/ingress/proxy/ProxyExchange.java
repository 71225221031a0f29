package io.berth.ingress.proxy;

import io.berth.ingress.balancing.Upstream;
import io.berth.ingress.routing.Backend;
import io.berth.ingress.routing.Route;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request through the proxy, from its headers to the end of its response. Runs entirely on
 * the client connection's event loop (its upstream connections use the same loop).
 *
 * <pre>
 * start:    route -> none: 404 | no ready endpoint: 503 | else attempt
 * attempt:  pick an upstream (balancer) -> pooled connection or connect
 *             connect failed (nothing sent yet)     -> eject it, attempt again (budget) | 502
 * send:     headers, then the body as it arrives (streamed; the client is read only as fast as
 *           the upstream takes it); response timeout armed once the request is sent
 * response: 502/503 to a bodyless idempotent request   -> drop it, attempt again (budget)
 *           connection closed before any response byte  -> same, for bodyless idempotent requests | 502
 *           no headers within the response timeout      -> 504
 *           101 to a WebSocket upgrade                  -> both connections become a byte tunnel
 *           else headers and body to the client as they come; at its end the upstream
 *           connection goes back to the pool (keep-alive) and the client's next request is read
 * </pre>
 */
final class ProxyExchange {
  private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);
  /** Request body held while no upstream connection is there yet; beyond it the client is not read. */
  private static final int MAX_PENDING_BYTES = 64 * 1024;

  private final ProxyContext proxy;
  private final FrontendHandler frontend;
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final boolean tls;
  private final long startNanos = System.nanoTime();
  private final List<HttpContent> pending = new ArrayList<>(2);
  private final Set<Upstream> tried = new HashSet<>(4);

  private Route route;
  private Backend backend;
  private HttpRequest outbound;
  private boolean clientKeepAlive;
  private HttpVersion clientVersion;
  private int pendingBytes;
  private boolean clientPaused;
  private boolean bodyless;
  private boolean retryable;
  /** Whether the current attempt's connection was opened for it (not taken from the pool). */
  private boolean freshConnection;
  private boolean webSocket;
  private boolean requestComplete;
  private boolean requestSent;
  private int attempts;
  private Upstream upstream;
  private Channel connection;
  private BackendHandler connectionHandler;
  private boolean outstanding;
  private boolean responseStarted;
  private boolean discarding;
  private boolean upstreamKeepAlive;
  private ScheduledFuture<?> responseTimeout;
  private boolean done;
  private int lastStatus;

  ProxyExchange(ProxyContext proxy, FrontendHandler frontend, ChannelHandlerContext ctx, HttpRequest request,
      boolean tls) {
    this.proxy = proxy;
    this.frontend = frontend;
    this.ctx = ctx;
    this.request = request;
    this.tls = tls;
  }

  boolean isDone() {
    return done;
  }

  void start() {
    proxy.metrics().requestStarted();
    proxy.retryBudget().requested();
    clientKeepAlive = HttpUtil.isKeepAlive(request);
    clientVersion = request.protocolVersion();
    String host = request.headers().get(HttpHeaderNames.HOST);
    String path = pathOf(request.uri());
    Optional<Route> found = proxy.tables().current().route(host, path);
    if (found.isEmpty()) {
      answerLocally(LocalAnswers.noRoute(ctx.alloc(), host, path));
      return;
    }
    route = found.get();
    backend = route.backend();
    if (backend.upstreams().isEmpty()) {
      answerLocally(LocalAnswers.unavailable(ctx.alloc(), backend.unavailable()));
      return;
    }
    prepareOutbound(host);
    attempt();
  }

  private void prepareOutbound(String host) {
    // The decoder made these headers for this request alone: change them in place, no copy.
    HttpHeaders headers = request.headers();
    webSocket = ProxyHeaders.isWebSocketUpgrade(request.headers());
    boolean chunked = HttpUtil.isTransferEncodingChunked(request);
    if (request instanceof FullHttpRequest full) {
      bodyless = !full.content().isReadable();
      if (!bodyless) {
        pending.add(full.replace(full.content().retain()));
      }
      requestComplete = true;
    } else {
      bodyless = !chunked && HttpUtil.getContentLength(request, 0L) == 0L;
    }
    ProxyHeaders.removeHopByHop(headers);
    // Netty's HTTP/2-to-HTTP/1 translation adds these; they are not the client's.
    headers.remove("x-http2-stream-id");
    headers.remove("x-http2-scheme");
    headers.remove("x-http2-stream-weight");
    if (!bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (webSocket) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }
    String clientIp = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress()
        : ctx.channel().parent() != null && ctx.channel().parent().remoteAddress() instanceof InetSocketAddress p
            ? p.getAddress().getHostAddress() : "unknown";
    ProxyHeaders.addForwarded(headers, clientIp, tls, host);
    if (request instanceof FullHttpRequest) {
      outbound = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), headers);
    } else {
      outbound = request;
      outbound.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    retryable = bodyless && isIdempotent(request.method());
  }

  /** Request body from the client, in order, after the headers. */
  void requestContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (last) {
      requestComplete = true;
    }
    if (done || bodyless) {
      content.release();
      return;
    }
    if (connection == null) {
      pending.add(content);
      pendingBytes += content.content().readableBytes();
      if (pendingBytes > MAX_PENDING_BYTES) {
        pauseClient(); // until an upstream connection takes what is held
      }
      return;
    }
    connection.write(content);
    if (last) {
      requestSent();
    } else if (!connection.isWritable()) {
      // The upstream takes the body slower than the client sends it: stop reading the client.
      pauseClient();
      connection.flush();
    }
  }

  /** Whether the client has sent the whole request (its next messages belong to the next request). */
  boolean requestComplete() {
    return requestComplete;
  }

  private void pauseClient() {
    clientPaused = true;
    ctx.channel().config().setAutoRead(false);
  }

  private void resumeClient() {
    if (clientPaused) {
      clientPaused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  void flushToUpstream() {
    if (connection != null && !done) {
      connection.flush();
    }
  }

  private void attempt() {
    Upstream next = proxy.balancer().pick(backend.name(), backend.upstreams(), route.policy().balancing(), tried);
    if (next == null) {
      answerLocally(LocalAnswers.badGateway(ctx.alloc(), "no endpoint of " + backend.name() + " could be reached"));
      return;
    }
    attempts++;
    tried.add(next);
    upstream = next;
    Channel idle = proxy.pool().pollIdle(ctx.channel().eventLoop(), next);
    freshConnection = idle == null;
    if (idle != null) {
      connected(idle);
      return;
    }
    ChannelFuture connecting = proxy.pool().connect(ctx.channel().eventLoop(), next, route.policy().connectTimeout());
    connecting.addListener((ChannelFutureListener) f -> {
      if (done) {
        f.channel().close();
      } else if (f.isSuccess()) {
        proxy.balancer().ejections().connected(next);
        connected(f.channel());
      } else {
        connectFailed(next, f.cause());
      }
    });
  }

  private void connectFailed(Upstream failed, Throwable cause) {
    proxy.metrics().connectErrors(backend.name()).inc();
    if (proxy.balancer().ejections().connectFailed(failed)) {
      log.info("upstream {} of {} ejected for a while: {}", failed, backend.name(), cause.getMessage());
    }
    if (mayRetry()) {
      proxy.metrics().retried("connect");
      attempt();
    } else {
      answerLocally(LocalAnswers.badGateway(ctx.alloc(),
          "could not connect to " + failed + " of " + backend.name() + ": " + cause.getMessage()));
    }
  }

  private void connected(Channel channel) {
    connection = channel;
    connectionHandler = channel.pipeline().get(BackendHandler.class);
    connectionHandler.exchange(this);
    proxy.balancer().started(upstream);
    outstanding = true;
    responseStarted = false;
    requestSent = false;
    connection.write(outbound);
    if (bodyless) {
      connection.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      requestSent();
      return;
    }
    for (HttpContent content : pending) {
      connection.write(content);
    }
    pending.clear();
    pendingBytes = 0;
    connection.flush();
    if (requestComplete) {
      requestSent();
    } else {
      resumeClient();
    }
  }

  private void requestSent() {
    requestSent = true;
    long timeout = route.policy().responseTimeout().toNanos();
    responseTimeout = ctx.channel().eventLoop().schedule(this::timedOut, timeout, TimeUnit.NANOSECONDS);
  }

  private void timedOut() {
    if (done || responseStarted) {
      return;
    }
    Upstream slow = upstream;
    detachConnection(false);
    answerLocally(LocalAnswers.timeout(ctx.alloc(), "upstream " + slow + " of " + backend.name()
        + " did not answer within " + route.policy().responseTimeout().toMillis() + " ms"));
  }

  /** A part of the upstream's response. */
  void fromBackend(HttpObject msg) {
    if (msg.decoderResult().isFailure()) {
      malformedFromBackend(msg);
      return;
    }
    if (msg instanceof HttpResponse response) {
      cancelTimeout();
      int code = response.status().code();
      upstreamKeepAlive = HttpUtil.isKeepAlive(response);
      if ((code == 502 || code == 503) && retryable && mayRetry()) {
        proxy.metrics().retried("status");
        discarding = true;
      } else if (code == 101 && webSocket) {
        new Tunnel(ctx, connection, proxy.metrics()).open(response);
        finish(101);
        return;
      } else {
        responseStarted = true;
        ctx.write(clientResponse(response));
      }
    }
    if (msg instanceof HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      if (discarding) {
        content.release();
        if (last) {
          discarding = false;
          detachConnection(requestSent && upstreamKeepAlive);
          attempt();
        }
        return;
      }
      ctx.write(content);
      if (last) {
        complete(lastStatus);
      } else if (!ctx.channel().isWritable()) {
        // The client reads slower than the upstream sends: stop reading the upstream.
        connection.config().setAutoRead(false);
        ctx.flush();
      }
    }
  }

  /**
   * The upstream sent something that is not HTTP: a 502 naming it when nothing went to the client
   * yet, else the client connection is closed (the only way left to tell it the response broke).
   */
  private void malformedFromBackend(HttpObject msg) {
    String cause = String.valueOf(msg.decoderResult().cause());
    ReferenceCountUtil.release(msg);
    detachConnection(false);
    if (done) {
      return;
    }
    if (responseStarted) {
      done = true;
      cancelTimeout();
      ctx.close();
      record(lastStatus);
      frontend.exchangeDone(this);
    } else {
      answerLocally(LocalAnswers.badGateway(ctx.alloc(),
          "upstream " + upstream + " of " + backend.name() + " sent a malformed response: " + cause));
    }
  }

  private HttpResponse clientResponse(HttpResponse response) {
    lastStatus = response.status().code();
    HttpHeaders headers = response.headers();
    ProxyHeaders.removeHopByHop(headers);
    int code = lastStatus;
    boolean noBody = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304 || code < 200;
    if (!noBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!clientKeepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (clientVersion.equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    return response;
  }

  void flushToClient() {
    if (responseStarted) {
      ctx.flush();
    }
  }

  void clientWritabilityChanged(boolean writable) {
    if (connection != null && !done) {
      connection.config().setAutoRead(writable);
    }
  }

  void backendWritabilityChanged(boolean writable) {
    if (writable && !done) {
      resumeClient();
    }
  }

  /** The upstream connection closed while this exchange used it. */
  void backendClosed() {
    if (done) {
      return;
    }
    connection = null;
    connectionHandler = null;
    cancelTimeout();
    finishedAtUpstream();
    if (responseStarted) {
      // Part of the response is out: the client can only learn of the failure by the connection closing.
      done = true;
      ctx.close();
      record(lastStatus);
      frontend.exchangeDone(this);
    } else if (discarding || (retryable && mayRetry())) {
      ejectIfClosedAtOnce();
      discarding = false;
      proxy.metrics().retried("closed");
      attempt();
    } else {
      ejectIfClosedAtOnce();
      answerLocally(LocalAnswers.badGateway(ctx.alloc(),
          "upstream " + upstream + " of " + backend.name() + " closed the connection without answering"));
    }
  }

  /**
   * A new connection closed before any response byte is treated as a refused one: the endpoint
   * is ejected for a while. It is what a crashed container behind Docker's userland proxy looks
   * like (the published port accepts, then nothing answers behind it) until its Endpoints say so;
   * without the ejection every third request would need a retry and soon exceed the budget. A
   * kept-alive connection closing is left alone: servers close idle ones whenever they like.
   */
  private void ejectIfClosedAtOnce() {
    if (freshConnection && !discarding) {
      proxy.metrics().connectErrors(backend.name()).inc();
      if (proxy.balancer().ejections().connectFailed(upstream)) {
        log.info("upstream {} of {} ejected for a while: it closed a new connection without answering", upstream,
            backend.name());
      }
    }
  }

  /** The client connection closed (or reset) before the exchange ended. */
  void clientClosed() {
    if (done) {
      return;
    }
    done = true;
    cancelTimeout();
    detachConnection(false);
    pending.forEach(ReferenceCountUtil::release);
    pending.clear();
    record(499);
  }

  private void complete(int status) {
    detachConnection(requestSent && upstreamKeepAlive);
    if (!clientKeepAlive) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.flush();
    }
    finish(status);
  }

  private void finish(int status) {
    done = true;
    cancelTimeout();
    if (connectionHandler != null) {
      connectionHandler.exchange(null);
    }
    finishedAtUpstream();
    record(status);
    frontend.exchangeDone(this);
  }

  private void answerLocally(FullHttpResponse answer) {
    detachConnection(false);
    pending.forEach(ReferenceCountUtil::release);
    pending.clear();
    if (!clientKeepAlive) {
      answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(answer);
    }
    done = true;
    cancelTimeout();
    record(answer.status().code());
    log.debug("{} {} answered {} by the ingress: {}", request.method(), request.uri(), answer.status().code(),
        answer.headers().get(LocalAnswers.HEADER));
    frontend.exchangeDone(this);
  }

  /** Ends this exchange's use of its upstream connection: back to the pool when reusable, else closed. */
  private void detachConnection(boolean reusable) {
    finishedAtUpstream();
    Channel channel = connection;
    if (channel == null) {
      return;
    }
    connectionHandler.exchange(null);
    connection = null;
    connectionHandler = null;
    channel.config().setAutoRead(true);
    if (reusable) {
      proxy.pool().release(channel, upstream);
    } else {
      channel.close();
    }
  }

  private void finishedAtUpstream() {
    if (outstanding) {
      outstanding = false;
      proxy.balancer().finished(upstream);
    }
  }

  private boolean mayRetry() {
    return attempts < proxy.maxAttempts() && tried.size() < backend.upstreams().size()
        && proxy.retryBudget().tryRetry();
  }

  private void cancelTimeout() {
    if (responseTimeout != null) {
      responseTimeout.cancel(false);
      responseTimeout = null;
    }
  }

  private void record(int status) {
    proxy.metrics().requestEnded();
    long nanos = System.nanoTime() - startNanos;
    if (route == null) {
      proxy.metrics().answered("", "", "", status, nanos);
    } else {
      proxy.metrics().answered(route.ingress(), route.host(), route.path(), status, nanos);
    }
  }

  private static String pathOf(String uri) {
    int start = 0;
    if (!uri.startsWith("/")) {
      // absolute-form (http://host/path): skip scheme and authority
      int scheme = uri.indexOf("://");
      start = scheme < 0 ? 0 : uri.indexOf('/', scheme + 3);
      if (start < 0) {
        return "/";
      }
    }
    int query = uri.indexOf('?', start);
    int fragment = uri.indexOf('#', start);
    int end = query < 0 ? (fragment < 0 ? uri.length() : fragment) : query;
    return uri.substring(start, end);
  }

  private static boolean isIdempotent(HttpMethod method) {
    return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)
        || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.DELETE) || method.equals(HttpMethod.TRACE);
  }
}
