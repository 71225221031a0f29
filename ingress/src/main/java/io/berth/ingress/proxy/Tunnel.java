package io.berth.ingress.proxy;

import io.berth.ingress.relay.TcpRelay;
import io.berth.ingress.metrics.IngressMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponse;

/**
 * A WebSocket upgrade accepted by the upstream (101 Switching Protocols): the response goes to
 * the client, then both connections drop their HTTP handlers and relay bytes both ways until
 * either side closes. Frames are not parsed: the ingress does not need to understand them.
 */
final class Tunnel {
  private final ChannelHandlerContext client;
  private final Channel upstream;
  private final IngressMetrics metrics;

  Tunnel(ChannelHandlerContext client, Channel upstream, IngressMetrics metrics) {
    this.client = client;
    this.upstream = upstream;
    this.metrics = metrics;
  }

  void open(HttpResponse switching) {
    // Written through the client codec before it is removed (this runs on the event loop).
    client.writeAndFlush(switching);
    ChannelPipeline clientPipeline = client.pipeline();
    clientPipeline.addLast("tunnel", new TcpRelay(upstream));
    // Last handler first: bytes a decoder still holds go on to the relay when it is removed.
    for (var type : FrontendInitializer.HTTP_HANDLERS.reversed()) {
      if (clientPipeline.get(type) != null) {
        clientPipeline.remove(type);
      }
    }
    ChannelPipeline upstreamPipeline = upstream.pipeline();
    upstreamPipeline.remove("idle");
    upstreamPipeline.remove("backend");
    upstreamPipeline.addLast("tunnel", new TcpRelay(client.channel()));
    upstreamPipeline.remove(BackendInitializer.CODEC);
    client.channel().config().setAutoRead(true);
    upstream.config().setAutoRead(true);
    metrics.connectionOpened("tunnel");
    client.channel().closeFuture().addListener(f -> metrics.connectionClosed("tunnel"));
  }

}
