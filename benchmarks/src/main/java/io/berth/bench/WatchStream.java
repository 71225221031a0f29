package io.berth.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One watcher: a streamed watch response on its own connection. It reports when the
 * response head has arrived ({@link #established}), notes the receive time of every
 * chunk as it is read, and hands each complete event line to the current round.
 */
final class WatchStream extends SimpleChannelInboundHandler<HttpObject> {
  private final int id;
  private final Supplier<WatchRound> round;
  private final Runnable onEnd;
  private final LineSplitter lines = new LineSplitter();
  private final CompletableFuture<Void> established = new CompletableFuture<>();
  private boolean ended;

  /**
   * @param round the round in progress (null between rounds)
   * @param onEnd called once if the stream ends or breaks before the benchmark closes it
   */
  WatchStream(int id, Supplier<WatchRound> round, Runnable onEnd) {
    this.id = id;
    this.round = round;
    this.onEnd = onEnd;
  }

  /** Completes when the server has answered 200 and streams events; fails otherwise. */
  CompletableFuture<Void> established() {
    return established;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    long now = System.nanoTime();
    if (msg instanceof HttpResponse head) {
      if (head.status().code() == 200) {
        established.complete(null);
      } else {
        established.completeExceptionally(new IllegalStateException("watch answered HTTP " + head.status()));
      }
    }
    if (msg instanceof HttpContent content) {
      ByteBuf buf = content.content();
      if (buf.isReadable()) {
        WatchRound current = round.get();
        byte[] bytes = ByteBufUtil.getBytes(buf);
        lines.feed(bytes, 0, bytes.length, line -> {
          if (current != null) {
            current.onLine(id, line, now);
          }
        });
      }
      if (msg instanceof LastHttpContent) {
        end();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    established.completeExceptionally(new IllegalStateException("connection closed before the watch began"));
    end();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    established.completeExceptionally(cause);
    ctx.close();
  }

  private void end() {
    if (!ended) {
      ended = true;
      onEnd.run();
    }
  }
}
