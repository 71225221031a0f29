package io.berth.ingress.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The pipeline of a client connection on the plain HTTP port:
 *
 * <pre>
 * CleartextHttp2ServerUpgradeHandler   h2c: prior knowledge (the HTTP/2 preface) or Upgrade: h2c
 *   HTTP/1.1:  HttpServerCodec -> HttpServerUpgradeHandler -> FrontendHandler
 *   HTTP/2:    Http2FrameCodec -> Http2MultiplexHandler, and per stream:
 *              Http2StreamFrameToHttpObjectCodec -> FrontendHandler
 * </pre>
 *
 * Every HTTP/2 stream becomes an HTTP/1.1-shaped request to the same {@link FrontendHandler},
 * so routing and proxying have one code path; upstreams are always spoken to in HTTP/1.1.
 */
final class FrontendInitializer extends ChannelInitializer<SocketChannel> {
  /** Handlers that a WebSocket tunnel removes from a client connection. */
  static final List<Class<? extends ChannelHandler>> HTTP_HANDLERS = List.of(HttpServerCodec.class,
      HttpServerUpgradeHandler.class, FrontendHandler.class);

  private final ProxyContext proxy;

  FrontendInitializer(ProxyContext proxy) {
    this.proxy = proxy;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    HttpServerCodec codec = newCodec();
    HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
            ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(), http2Streams(proxy, false))
            : null);
    channel.pipeline()
        .addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, http2(proxy, false)))
        .addLast(new FrontendHandler(proxy, false));
  }

  static HttpServerCodec newCodec() {
    return new HttpServerCodec(4096, 16384, 16384);
  }

  /** HTTP/1.1 after TLS negotiated it (or no protocol) with ALPN. */
  static void http1(ChannelPipeline pipeline, ProxyContext proxy, boolean tls) {
    pipeline.addLast(newCodec()).addLast(new FrontendHandler(proxy, tls));
  }

  /** The HTTP/2 handlers of a connection: frame codec, then one child channel per stream. */
  static ChannelHandler http2(ProxyContext proxy, boolean tls) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(Http2FrameCodecBuilder.forServer().build()).addLast(http2Streams(proxy, tls));
      }
    };
  }

  private static Http2MultiplexHandler http2Streams(ProxyContext proxy, boolean tls) {
    return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true))
            .addLast(new FrontendHandler(proxy, tls));
      }
    });
  }
}
