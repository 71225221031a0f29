package io.berth.apiserver.http;

import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request in, one response out. The body is copied off the event loop's
 * buffer before the request is routed, because the answer arrives later, on a store
 * thread; the response is written back through the channel, which hands it to the
 * event loop. Keep-alive follows HTTP/1.1's rules.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

  private final Router router;

  ApiHandler(Router router) {
    this.router = router;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      write(ctx, Router.errorResponse(io.berth.apiserver.rest.Statuses.badRequest("malformed HTTP request")), false,
          false);
      return;
    }
    String method = request.method().name();
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    byte[] body = ByteBufUtil.getBytes(request.content());
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
    ApiRequest apiRequest = new ApiRequest(method, uri.path(), uri.parameters(),
        request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.ACCEPT), body,
        headers, clientCertificates(ctx));
    router.route(apiRequest).whenComplete((response, error) -> {
      ApiResponse answer = error == null ? response : Router.errorResponse(error);
      log.debug("{} {} -> {}", method, request.uri(), answer.code());
      write(ctx, answer, keepAlive, method.equals("HEAD"));
    });
  }

  /** The certificate chain the client presented in this connection's TLS handshake (verified there), if any. */
  private static java.util.List<java.security.cert.X509Certificate> clientCertificates(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) {
      return java.util.List.of();
    }
    try {
      java.util.List<java.security.cert.X509Certificate> chain = new java.util.ArrayList<>();
      for (java.security.cert.Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
        if (certificate instanceof java.security.cert.X509Certificate x509) {
          chain.add(x509);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return java.util.List.of();
    }
  }

  /** Writes the answer; to a HEAD request, its head alone, with the length the body would have (RFC 9110 9.3.2). */
  private static void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive, boolean headOnly) {
    if (answer.stream() != null) {
      startStream(ctx, answer, keepAlive);
      return;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(answer.code()), headOnly ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    answer.headers().forEach(response.headers()::set);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Sends the head of a chunked response, then lets the body stream itself. */
  private static void startStream(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.code()));
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    if (keepAlive) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ctx.writeAndFlush(head);
    answer.stream().start(new NettyResponseStream(ctx.channel(), keepAlive));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing API connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
