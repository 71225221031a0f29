package io.berth.apiserver.http;

import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.Statuses;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Whole requests up to Kubernetes' body limit. A larger one is answered, as
 * everything else, with a Status (413 RequestEntityTooLarge) instead of Netty's
 * bare 413, and the connection is closed since the rest of the body is unread.
 */
final class ApiObjectAggregator extends HttpObjectAggregator {
  private final int maxBytes;

  ApiObjectAggregator(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ApiException tooLarge = Statuses.requestTooLarge(maxBytes);
    byte[] body = ObjectCodec.encode(Statuses.toStatus(tooLarge));
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiResponse.JSON);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
