package io.berth.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.ingress.testing.IngressFixture;
import io.berth.ingress.testing.TestNetwork;
import io.berth.ingress.testing.WebSocketEchoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSocketIT {
  @TempDir Path dir;

  @Test
  void passesAWebSocketUpgradeThroughAndRelaysMessagesBothWays() throws Exception {
    try (TestNetwork network = TestNetwork.create();
        IngressFixture ingress = new IngressFixture(dir);
        WebSocketEchoServer echo = new WebSocketEchoServer(network.hostAddress())) {
      ingress.service("echo", List.of(echo.address()));
      ingress.ingress("echo", "", "/ws", "echo", Map.of());
      ingress.awaitStatus("any.test", "/ws", 400); // a plain GET to the WebSocket path: the echo server's 400
      LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + ingress.server.httpPort() + "/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
              received.add(data.toString());
              webSocket.request(1);
              return CompletableFuture.completedFuture(null);
            }
          }).get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        socket.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
      }

      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: hello 0");
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: hello 1");
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: hello 2");
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }
  }
}
