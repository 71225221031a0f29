package io.berth.apiserver.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/** The pipeline of one API connection: HTTP/1.1 codec, keep-alive, whole requests, the handler. */
final class ApiServerInitializer extends ChannelInitializer<SocketChannel> {
  /** Kubernetes' limit on a request body (3 MiB); a larger one is answered 413. */
  static final int MAX_BODY_BYTES = 3 << 20;

  private final Router router;

  ApiServerInitializer(Router router) {
    this.router = router;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpServerKeepAliveHandler())
        .addLast(new ApiObjectAggregator(MAX_BODY_BYTES))
        .addLast(new ApiHandler(router));
  }
}
