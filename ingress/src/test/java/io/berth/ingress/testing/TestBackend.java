package io.berth.ingress.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream for proxy tests: the JDK's HTTP server on loopback, answering
 * <ul>
 *   <li>{@code /status/<code>}: that status, body "status";</li>
 *   <li>{@code /slow}: 200 after 3 s;</li>
 *   <li>{@code /stream}: a chunked 200 whose first 1 KiB comes at once and the rest (1 KiB) only after
 *       {@link #releaseStream()};</li>
 *   <li>{@code /upload}: the number of request body bytes it read;</li>
 *   <li>anything else: 200, body {@code "<name> <method> <path>"} then one line per request header
 *       ({@code lower-case-name: value}).</li>
 * </ul>
 * It counts requests and remembers the client ports it saw (to tell pooled connections).
 */
public final class TestBackend implements AutoCloseable {
  private final String name;
  private final String host;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch stream = new CountDownLatch(1);

  /** @param host the address to listen on (see {@link TestNetwork}: Endpoints may not be loopback) */
  public TestBackend(String name, String host) throws IOException {
    this.name = name;
    this.host = host;
    this.server = HttpServer.create(new InetSocketAddress(host, 0), 128);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String address() {
    return host + ":" + port();
  }

  public int requests() {
    return requests.get();
  }

  /** Client ports of the connections requests came on. */
  public Set<Integer> clientPorts() {
    return clientPorts;
  }

  public void releaseStream() {
    stream.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    clientPorts.add(exchange.getRemoteAddress().getPort());
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      if (path.startsWith("/status/")) {
        respond(exchange, Integer.parseInt(path.substring(8)), "status");
      } else if (path.equals("/slow")) {
        TimeUnit.SECONDS.sleep(3);
        respond(exchange, 200, "slow");
      } else if (path.equals("/stream")) {
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(new byte[1024]);
        out.flush();
        stream.await(20, TimeUnit.SECONDS);
        out.write(new byte[1024]);
        stream = new CountDownLatch(1);
      } else if (path.equals("/upload")) {
        long total = 0;
        byte[] buffer = new byte[65536];
        try (InputStream in = exchange.getRequestBody()) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
          }
        }
        respond(exchange, 200, Long.toString(total));
      } else {
        StringBuilder body = new StringBuilder(name + " " + exchange.getRequestMethod() + " " + path + "\n");
        for (Map.Entry<String, java.util.List<String>> h : exchange.getRequestHeaders().entrySet()) {
          body.append(h.getKey().toLowerCase()).append(": ").append(String.join(",", h.getValue())).append('\n');
        }
        respond(exchange, 200, body.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    stream.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
