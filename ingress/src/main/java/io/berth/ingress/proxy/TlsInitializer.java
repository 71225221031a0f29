package io.berth.ingress.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;

/**
 * The pipeline of a client connection on the HTTPS port:
 *
 * <pre>
 * SniHandler (the certificate for the server name the client asked for)
 *   -> ALPN: h2       -> the HTTP/2 handlers of {@link FrontendInitializer}
 *            http/1.1 -> the HTTP/1.1 handlers of {@link FrontendInitializer} (also without ALPN)
 * </pre>
 * The certificate mapping is read at each handshake, so a reloaded Secret is used by the next connection.
 */
final class TlsInitializer extends ChannelInitializer<SocketChannel> {
  private final ProxyContext proxy;
  private final Mapping<String, SslContext> certificates;

  TlsInitializer(ProxyContext proxy, Mapping<String, SslContext> certificates) {
    this.proxy = proxy;
    this.certificates = certificates;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline().addLast(new SniHandler(certificates)).addLast(new Negotiation(proxy));
  }

  /** Builds the rest of the pipeline once ALPN chose a protocol. */
  private static final class Negotiation extends ApplicationProtocolNegotiationHandler {
    private final ProxyContext proxy;

    Negotiation(ProxyContext proxy) {
      super(ApplicationProtocolNames.HTTP_1_1);
      this.proxy = proxy;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        ctx.pipeline().addLast(FrontendInitializer.http2(proxy, true));
      } else {
        FrontendInitializer.http1(ctx.pipeline(), proxy, true);
      }
    }
  }
}
