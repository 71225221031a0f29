package io.berth.apiserver.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;

/** The pipeline of one API connection: HTTP/1.1 codec, pods/exec upgrades, keep-alive, whole requests, the handler. */
final class ApiServerInitializer extends ChannelInitializer<SocketChannel> {
  /** Kubernetes' limit on a request body (3 MiB); a larger one is answered 413. */
  static final int MAX_BODY_BYTES = 3 << 20;

  private final Router router;
  private final io.berth.apiserver.storage.ObjectStore store;
  private final SslContext tls;
  private final io.berth.apiserver.rest.AgentConnections agents;

  /** {@code tls} null serves plain HTTP; {@code agents} is how pods/exec reaches agents. */
  ApiServerInitializer(Router router, io.berth.apiserver.storage.ObjectStore store, SslContext tls,
      io.berth.apiserver.rest.AgentConnections agents) {
    this.router = router;
    this.store = store;
    this.tls = tls;
    this.agents = agents;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    if (tls != null) {
      // Everything else on this connection is inside TLS: a plaintext client fails the handshake and is closed.
      channel.pipeline().addLast(tls.newHandler(channel.alloc()));
    }
    channel.pipeline()
        .addLast(new HttpServerCodec())
        // pods/exec upgrades its connection to a WebSocket before the rest of the pipeline sees it.
        .addLast(new PodExecHandler(store, agents))
        .addLast(new HttpServerKeepAliveHandler())
        .addLast(new ApiObjectAggregator(MAX_BODY_BYTES))
        .addLast(new ApiHandler(router));
  }
}
