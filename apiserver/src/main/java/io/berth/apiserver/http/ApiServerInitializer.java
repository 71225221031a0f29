package io.berth.apiserver.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/** The pipeline of one API connection: HTTP/1.1 codec, pods/exec upgrades, keep-alive, whole requests, the handler. */
final class ApiServerInitializer extends ChannelInitializer<SocketChannel> {
  /** Kubernetes' limit on a request body (3 MiB); a larger one is answered 413. */
  static final int MAX_BODY_BYTES = 3 << 20;

  private final Router router;
  private final io.berth.apiserver.storage.ObjectStore store;

  ApiServerInitializer(Router router, io.berth.apiserver.storage.ObjectStore store) {
    this.router = router;
    this.store = store;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline()
        .addLast(new HttpServerCodec())
        // pods/exec upgrades its connection to a WebSocket before the rest of the pipeline sees it.
        .addLast(new PodExecHandler(store))
        .addLast(new HttpServerKeepAliveHandler())
        .addLast(new ApiObjectAggregator(MAX_BODY_BYTES))
        .addLast(new ApiHandler(router));
  }
}
