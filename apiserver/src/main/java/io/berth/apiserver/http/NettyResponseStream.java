package io.berth.apiserver.http;

import io.berth.apiserver.rest.StreamingBody;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streamed response on a Netty channel: each chunk is written and flushed at once
 * (watch events must not wait in a buffer), from whatever thread sends it; Netty
 * hands the write to the channel's event loop. What the client has not read yet is
 * counted, and a client that falls more than {@link #MAX_UNSENT_BYTES} behind is cut
 * off rather than allowed to grow the server's memory without bound.
 */
final class NettyResponseStream implements StreamingBody.ResponseStream {
  /** Generous enough for the initial events of a large watch; a client this far behind resumes later. */
  static final long MAX_UNSENT_BYTES = 64L << 20;

  private final Channel channel;
  private final boolean keepAlive;
  private final AtomicLong unsentBytes = new AtomicLong();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean closedActionsRun = new AtomicBoolean();
  private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();

  NettyResponseStream(Channel channel, boolean keepAlive) {
    this.channel = channel;
    this.keepAlive = keepAlive;
    channel.closeFuture().addListener(f -> runCloseActions());
  }

  @Override
  public boolean send(byte[] chunk) {
    if (ended.get() || !channel.isActive()) {
      return false;
    }
    if (unsentBytes.addAndGet(chunk.length) > MAX_UNSENT_BYTES) {
      return false;
    }
    channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)))
        .addListener(f -> unsentBytes.addAndGet(-chunk.length));
    return true;
  }

  @Override
  public void end() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (channel.isActive()) {
      var written = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
    runCloseActions();
  }

  @Override
  public void onClose(Runnable action) {
    closeActions.add(action);
    if (closedActionsRun.get()) {
      action.run();
    }
  }

  private void runCloseActions() {
    if (closedActionsRun.compareAndSet(false, true)) {
      closeActions.forEach(Runnable::run);
    }
  }
}
