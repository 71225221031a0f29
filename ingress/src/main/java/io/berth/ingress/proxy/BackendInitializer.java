package io.berth.ingress.proxy;

import io.berth.ingress.balancing.Upstream;
import io.berth.ingress.metrics.IngressMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The pipeline of a connection to an upstream: HTTP/1.1 client codec, idle timer, {@link BackendHandler}. */
final class BackendInitializer extends ChannelInitializer<Channel> {
  static final String CODEC = "http-client-codec";

  /**
   * Responses from upstreams are parsed leniently about line endings: a bare LF ends a header line
   * there, as RFC 9112 allows a recipient and as nginx accepts (CGI servers such as busybox httpd
   * pass a script's LF-only headers through). Requests from clients stay strict (FrontendInitializer),
   * where lenient parsing is what request smuggling exploits.
   */
  private static final HttpDecoderConfig UPSTREAM_RESPONSES = new HttpDecoderConfig().setMaxInitialLineLength(4096)
      .setMaxHeaderSize(16384).setMaxChunkSize(16384).setValidateHeaders(false).setStrictLineParsing(false);

  private final BackendPool pool;
  private final Upstream upstream;
  private final IngressMetrics metrics;

  BackendInitializer(BackendPool pool, Upstream upstream, IngressMetrics metrics) {
    this.pool = pool;
    this.upstream = upstream;
    this.metrics = metrics;
  }

  @Override
  protected void initChannel(Channel channel) {
    channel.pipeline()
        .addLast(CODEC, new HttpClientCodec(UPSTREAM_RESPONSES, false, false))
        .addLast("idle", new IdleStateHandler(0, 0, BackendPool.IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .addLast("backend", new BackendHandler(pool, upstream, metrics));
  }
}
