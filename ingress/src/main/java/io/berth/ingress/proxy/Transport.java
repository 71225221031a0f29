package io.berth.ingress.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Linux's native epoll transport when it loads (fewer copies and syscalls), else Java NIO. */
public record Transport(String name, Class<? extends ServerSocketChannel> serverChannel,
    Class<? extends SocketChannel> clientChannel) {

  public static Transport best() {
    if (Epoll.isAvailable()) {
      return new Transport("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class);
    }
    return new Transport("nio", NioServerSocketChannel.class, NioSocketChannel.class);
  }

  public EventLoopGroup newGroup(int threads) {
    return name.equals("epoll") ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
  }
}
