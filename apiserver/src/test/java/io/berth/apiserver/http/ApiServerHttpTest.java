package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.testing.InMemoryObjectStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Netty layer over a raw socket: keep-alive, and the body size limit answered with a Status. */
class ApiServerHttpTest {
  private ApiServer server;

  @BeforeEach
  void start() throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, store);
    server.systemNamespacesReady().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void twoRequestsShareOneKeepAliveConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      for (int i = 0; i < 2; i++) {
        out.write("GET /api/v1/namespaces/default HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        int length = readHeadersForContentLength(in);
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
          read += in.read(body, read, length - read);
        }
        assertThat(new String(body)).contains("\"name\":\"default\"");
      }
    }
  }

  @Test
  void aBodyOverThreeMebibytesIsRequestEntityTooLarge() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      int size = ApiServerInitializer.MAX_BODY_BYTES + 1;
      String head = "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
      int length = readHeadersForContentLength(in);
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        read += in.read(body, read, length - read);
      }
      assertThat(new String(body)).contains("\"reason\":\"RequestEntityTooLarge\"").contains("\"code\":413");
    }
  }

  private static int readHeadersForContentLength(BufferedReader in) throws Exception {
    int length = -1;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return length;
  }
}
