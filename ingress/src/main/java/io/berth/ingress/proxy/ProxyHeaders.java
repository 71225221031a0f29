package io.berth.ingress.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Header rewriting between client and backend (RFC 9110 section 7.6.1: hop-by-hop headers
 * belong to one connection and are not forwarded). Host is kept as the client sent it.
 */
final class ProxyHeaders {
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

  private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE);

  private ProxyHeaders() {}

  /**
   * Removes hop-by-hop headers: the fixed list and every header the Connection header names.
   * Transfer-Encoding is removed too; the caller sets chunked again when the body needs it.
   */
  static void removeHopByHop(HttpHeaders headers) {
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          headers.remove(name);
        }
      }
    }
    for (AsciiString name : HOP_BY_HOP) {
      headers.remove(name);
    }
  }

  /** Adds the X-Forwarded-* headers and an X-Request-Id (kept when the client sent one). */
  static String addForwarded(HttpHeaders headers, String clientIp, boolean tls, String host) {
    String previous = headers.get(X_FORWARDED_FOR);
    headers.set(X_FORWARDED_FOR, previous == null || previous.isEmpty() ? clientIp : previous + ", " + clientIp);
    headers.set(X_FORWARDED_PROTO, tls ? "https" : "http");
    if (host != null) {
      headers.set(X_FORWARDED_HOST, host);
    }
    String id = headers.get(X_REQUEST_ID);
    if (id == null || id.isEmpty()) {
      id = newRequestId();
      headers.set(X_REQUEST_ID, id);
    }
    return id;
  }

  /** Whether the request asks to upgrade to WebSocket (Connection: upgrade and Upgrade: websocket). */
  static boolean isWebSocketUpgrade(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /** 128 random bits in hex, like the request ids of ingress-nginx. */
  private static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return toHex(random.nextLong()) + toHex(random.nextLong());
  }

  private static String toHex(long value) {
    String hex = Long.toHexString(value);
    return "0".repeat(16 - hex.length()) + hex;
  }
}
