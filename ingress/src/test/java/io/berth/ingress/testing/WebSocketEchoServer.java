package io.berth.ingress.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;

/** An upstream serving a WebSocket at {@code /ws} that answers each text message with "echo: " and the text. */
public final class WebSocketEchoServer implements AutoCloseable {
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;
  private final String host;

  public WebSocketEchoServer(String host) throws InterruptedException {
    this.host = host;
    channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                new WebSocketServerProtocolHandler("/ws"), new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                    ctx.writeAndFlush(new TextWebSocketFrame("echo: " + frame.text()));
                  }
                });
          }
        }).bind(host, 0).sync().channel();
  }

  public String address() {
    return host + ":" + ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
