package io.berth.ingress.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The answers the ingress gives itself, each with a one-line plain-text body naming the
 * reason, so that a client (or a person with curl) can tell the router's 502 from a backend's:
 * <ul>
 *   <li>404: no Ingress rule matches the host and path;</li>
 *   <li>503: the rule's Service has no ready endpoint (or does not exist);</li>
 *   <li>502: no endpoint could be connected to, or one closed the connection without answering;</li>
 *   <li>504: an endpoint did not answer within the response timeout.</li>
 * </ul>
 * Each carries {@code X-Berth-Ingress: <reason code>} for tests and log searches.
 */
final class LocalAnswers {
  static final String HEADER = "x-berth-ingress";

  private LocalAnswers() {}

  static FullHttpResponse noRoute(ByteBufAllocator alloc, String host, String path) {
    return answer(alloc, HttpResponseStatus.NOT_FOUND, "no-route", "no ingress rule for host " + host + " path " + path);
  }

  static FullHttpResponse unavailable(ByteBufAllocator alloc, String reason) {
    return answer(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, "no-endpoint", reason);
  }

  static FullHttpResponse badGateway(ByteBufAllocator alloc, String reason) {
    return answer(alloc, HttpResponseStatus.BAD_GATEWAY, "bad-gateway", reason);
  }

  static FullHttpResponse timeout(ByteBufAllocator alloc, String reason) {
    return answer(alloc, HttpResponseStatus.GATEWAY_TIMEOUT, "timeout", reason);
  }

  static FullHttpResponse badRequest(ByteBufAllocator alloc, String reason) {
    return answer(alloc, HttpResponseStatus.BAD_REQUEST, "bad-request", reason);
  }

  private static FullHttpResponse answer(ByteBufAllocator alloc, HttpResponseStatus status, String code, String reason) {
    byte[] text = (status.code() + " " + status.reasonPhrase() + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuf body = alloc.buffer(text.length).writeBytes(text);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
        .set(HEADER, code);
    return response;
  }
}
