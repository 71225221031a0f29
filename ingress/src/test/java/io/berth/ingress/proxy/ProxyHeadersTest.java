package io.berth.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class ProxyHeadersTest {
  @Test
  void removesHopByHopHeadersAndThoseTheConnectionHeaderNames() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "keep-alive, X-Session-Hint")
        .add("X-Session-Hint", "1").add("Keep-Alive", "timeout=5").add("Transfer-Encoding", "chunked")
        .add("TE", "trailers").add("Upgrade", "h2c").add("Proxy-Authorization", "x")
        .add("Host", "shop.test").add("Accept", "*/*");

    ProxyHeaders.removeHopByHop(headers);

    assertThat(headers.names()).containsExactlyInAnyOrder("Host", "Accept");
  }

  @Test
  void appendsToXForwardedForAndKeepsTheClientsRequestId() {
    HttpHeaders headers = new DefaultHttpHeaders().add("X-Forwarded-For", "203.0.113.7").add("X-Request-Id", "abc");

    String id = ProxyHeaders.addForwarded(headers, "198.18.0.1", true, "shop.test");

    assertThat(headers.get("X-Forwarded-For")).isEqualTo("203.0.113.7, 198.18.0.1");
    assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(headers.get("X-Forwarded-Host")).isEqualTo("shop.test");
    assertThat(id).isEqualTo("abc");
  }

  @Test
  void generatesA128BitRequestIdWhenTheClientSentNone() {
    HttpHeaders headers = new DefaultHttpHeaders();

    String id = ProxyHeaders.addForwarded(headers, "198.18.0.1", false, null);

    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(headers.get("X-Request-Id")).isEqualTo(id);
    assertThat(headers.contains("X-Forwarded-Host")).isFalse();
  }
}
