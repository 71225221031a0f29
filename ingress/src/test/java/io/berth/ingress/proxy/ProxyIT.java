package io.berth.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.ingress.routing.BackendPolicy;
import io.berth.ingress.testing.IngressFixture;
import io.berth.ingress.testing.TestBackend;
import io.berth.ingress.testing.TestNetwork;
import io.berth.store.net.FreePorts;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy against a real API (Ingress, Service and Endpoints objects written through it) and
 * real upstreams on loopback.
 */
class ProxyIT {
  @TempDir static Path dir;
  static IngressFixture ingress;
  static TestBackend blue;
  static TestBackend green;
  static TestNetwork network;

  @BeforeAll
  static void start() throws Exception {
    network = TestNetwork.create();
    ingress = new IngressFixture(dir);
    blue = new TestBackend("blue", network.hostAddress());
    green = new TestBackend("green", network.hostAddress());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {blue, green, ingress, network}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  /** A port on the test network where nothing listens. */
  private static String deadAddress() {
    return network.hostAddress() + ":" + FreePorts.pick();
  }

  @Test
  void routesByHostAndPathAndForwardsTheClientsHeaders() throws Exception {
    ingress.service("route-blue", List.of(blue.address()));
    ingress.service("route-green", List.of(green.address()));
    ingress.ingress("route-a", "shop.test", "/", "route-blue", Map.of());
    ingress.ingress("route-b", "shop.test", "/api", "route-green", Map.of());

    HttpResponse<String> home = ingress.awaitStatus("shop.test", "/index.html", 200);
    HttpResponse<String> api = ingress.awaitStatus("shop.test:80", "/api/items?x=1", 200);

    assertThat(home.body()).startsWith("blue GET /index.html");
    assertThat(api.body()).startsWith("green GET /api/items");
    assertThat(api.body()).contains("host: shop.test:80", "x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http",
        "x-forwarded-host: shop.test:80", "x-request-id: ");
    assertThat(api.headers().firstValue(LocalAnswers.HEADER)).isEmpty();
  }

  @Test
  void answersItselfWithTheReason() throws Exception {
    String dead = deadAddress();
    ingress.service("own-idle", List.of());
    ingress.service("own-dead", List.of(dead));
    ingress.service("own-slow", List.of(blue.address()));
    ingress.ingress("own-idle", "idle.test", "/", "own-idle", Map.of());
    ingress.ingress("own-dead", "dead.test", "/", "own-dead", Map.of());
    ingress.ingress("own-slow", "slow.test", "/", "own-slow", Map.of(BackendPolicy.RESPONSE_TIMEOUT, "500ms"));

    HttpResponse<String> noRoute = ingress.get("nowhere.test", "/x");
    HttpResponse<String> noEndpoint = ingress.awaitStatus("idle.test", "/", 503);
    HttpResponse<String> badGateway = ingress.awaitStatus("dead.test", "/", 502);
    ingress.awaitStatus("slow.test", "/", 200);
    HttpResponse<String> timeout = ingress.get("slow.test", "/slow");

    assertThat(noRoute.statusCode()).isEqualTo(404);
    assertThat(noRoute.body()).isEqualTo("404 Not Found: no ingress rule for host nowhere.test path /x\n");
    assertThat(noEndpoint.body()).contains("no ready endpoint for service default/own-idle");
    assertThat(badGateway.body()).contains("could not connect to " + dead + " of default/own-dead:80");
    assertThat(timeout.statusCode()).isEqualTo(504);
    assertThat(timeout.body()).contains("did not answer within 500 ms");
    assertThat(timeout.headers().firstValue(LocalAnswers.HEADER)).hasValue("timeout");
  }

  @Test
  void retriesARefusedConnectionOnAnotherEndpointAndEjectsTheDeadOne() throws Exception {
    ingress.service("retry", List.of(deadAddress(), blue.address()));
    ingress.ingress("retry", "retry.test", "/", "retry", Map.of());
    ingress.awaitStatus("retry.test", "/", 200);
    double retriesBefore = ingress.counter("berth_ingress_retries", "reason", "connect");

    for (int i = 0; i < 20; i++) {
      assertThat(ingress.get("retry.test", "/n" + i).statusCode()).isEqualTo(200);
    }

    double retries = ingress.counter("berth_ingress_retries", "reason", "connect") - retriesBefore;
    // Once ejected, the dead endpoint is skipped: far fewer retries than the 10 round robin would cause.
    assertThat(retries).isBetween(0.0, 2.0);
    assertThat(ingress.counter("berth_ingress_upstream_connect_errors", "backend", "default/retry:80")).isPositive();
  }

  @Test
  void retriesAnIdempotentRequestAnswered503ByOneEndpoint() throws Exception {
    // One endpoint is up; an Endpoints "port" of the other serves only 503s: the same backend on /status/503
    // cannot be told apart by path, so a second server answers 503 to everything.
    try (var unavailable = new Always503(network.hostAddress())) {
      ingress.service("status-retry", List.of(unavailable.address(), green.address()));
      ingress.ingress("status-retry", "status.test", "/", "status-retry", Map.of());
      ingress.awaitStatus("status.test", "/", 200);

      for (int i = 0; i < 10; i++) {
        HttpResponse<String> response = ingress.get("status.test", "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("green");
      }
      HttpResponse<String> post = ingress.http.send(HttpRequest.newBuilder(URI.create(ingress.url("/")))
          .header("Host", "status.test").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> post2 = ingress.http.send(HttpRequest.newBuilder(URI.create(ingress.url("/")))
          .header("Host", "status.test").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());
      // A POST is not retried: one of two consecutive POSTs lands on the 503 endpoint and gets its 503.
      assertThat(List.of(post.statusCode(), post2.statusCode())).contains(503);
    }
  }

  @Test
  void keepsConnectionsAliveOnBothSides() throws Exception {
    ingress.service("keepalive", List.of(green.address()));
    ingress.ingress("keepalive", "keepalive.test", "/", "keepalive", Map.of());
    ingress.awaitStatus("keepalive.test", "/", 200);
    Set<Integer> portsBefore = new HashSet<>(green.clientPorts());

    try (Socket socket = new Socket("127.0.0.1", ingress.server.httpPort())) {
      OutputStream out = socket.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      for (int i = 0; i < 5; i++) {
        out.write(("GET /k" + i + " HTTP/1.1\r\nHost: keepalive.test\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        int length = -1;
        for (String line; !(line = in.readLine()).isEmpty(); ) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        char[] body = new char[length];
        for (int read = 0; read < length; ) {
          read += in.read(body, read, length - read);
        }
        assertThat(new String(body)).startsWith("green GET /k" + i);
      }
    }
    Set<Integer> newPorts = new HashSet<>(green.clientPorts());
    newPorts.removeAll(portsBefore);
    // Five requests in a row from one client connection reuse one pooled upstream connection (at most one new).
    assertThat(newPorts.size()).isLessThanOrEqualTo(1);
  }

  @Test
  void streamsAResponseBeforeTheUpstreamHasFinishedIt() throws Exception {
    ingress.service("stream", List.of(blue.address()));
    ingress.ingress("stream", "stream.test", "/", "stream", Map.of());
    ingress.awaitStatus("stream.test", "/", 200);

    HttpResponse<InputStream> response = ingress.http.send(HttpRequest.newBuilder(URI.create(ingress.url("/stream")))
        .header("Host", "stream.test").build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      // The first KiB arrives while the backend still holds the second one back.
      assertThat(body.readNBytes(1024)).hasSize(1024);
      blue.releaseStream();
      assertThat(body.readAllBytes()).hasSize(1024);
    }
  }

  @Test
  void streamsALargeUploadToTheUpstream() throws Exception {
    ingress.service("upload", List.of(blue.address()));
    ingress.ingress("upload", "upload.test", "/", "upload", Map.of());
    ingress.awaitStatus("upload.test", "/", 200);
    long size = 256L * 1024 * 1024;

    HttpResponse<String> response = ingress.http.send(HttpRequest.newBuilder(URI.create(ingress.url("/upload")))
        .header("Host", "upload.test").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.fromPublisher(zeros(size))).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(Long.toString(size));
  }

  @Test
  void routesFollowEndpointChangesWithoutAFailedRequest() throws Exception {
    ingress.service("live", List.of(blue.address()));
    ingress.ingress("live", "live.test", "/", "live", Map.of());
    ingress.awaitStatus("live.test", "/", 200);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread traffic = new Thread(() -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!stop.get() && sent.get() < 20_000 && System.nanoTime() < deadline) {
        try {
          HttpResponse<String> r = ingress.get("live.test", "/");
          sent.incrementAndGet();
          if (r.statusCode() != 200) {
            failures.incrementAndGet();
          } else {
            bodies.add(r.body().substring(0, r.body().indexOf(' ')));
          }
        } catch (Exception e) {
          failures.incrementAndGet();
        }
      }
    });
    traffic.start();

    Thread.sleep(200);
    ingress.setEndpoints("live", List.of(blue.address(), green.address()));
    Thread.sleep(300);
    ingress.setEndpoints("live", List.of(green.address()));
    IngressFixture.eventually(() -> !bodies.isEmpty() && bodies.get(bodies.size() - 1).equals("green"));
    Thread.sleep(200);
    stop.set(true);
    traffic.join();

    assertThat(failures.get()).isZero();
    assertThat(sent.get()).isGreaterThan(10);
    assertThat(bodies).contains("blue", "green");
    assertThat(bodies.get(bodies.size() - 1)).isEqualTo("green");
  }

  @Test
  void speaksHttp2ToClientsOverCleartext() throws Exception {
    ingress.service("h2c", List.of(green.address()));
    ingress.ingress("h2c", "", "/h2c", "h2c", Map.of());
    ingress.awaitStatus("any.test", "/h2c", 200);
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      responses.add(h2.send(HttpRequest.newBuilder(URI.create(ingress.url("/h2c/" + i))).build(),
          HttpResponse.BodyHandlers.ofString()));
    }

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("green GET /h2c/");
    });
    // The first request upgrades (Upgrade: h2c); the ones after it are HTTP/2 streams.
    assertThat(responses.get(2).version()).isEqualTo(HttpClient.Version.HTTP_2);
  }

  private static java.util.concurrent.Flow.Publisher<java.nio.ByteBuffer> zeros(long size) {
    return HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
      long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    });
  }

  /** An upstream that answers 503 to everything. */
  static final class Always503 implements AutoCloseable {
    private final com.sun.net.httpserver.HttpServer server;

    private final String host;

    Always503(String host) throws java.io.IOException {
      this.host = host;
      server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(host, 0), 16);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
      });
      server.start();
    }

    String address() {
      return host + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void relaysAResponseWithBareLineFeedsAndAnswers502ToOneThatIsNotHttp() throws Exception {
    // busybox httpd passes a CGI script's LF-only headers through, and ends the body by closing.
    try (RawUpstream cgi = new RawUpstream(network.hostAddress(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\n\nposted by a script\n");
        RawUpstream garbage = new RawUpstream(network.hostAddress(), "SSH-2.0-OpenSSH_9.2\r\n\r\n")) {
      ingress.service("raw-cgi", List.of(cgi.address()));
      ingress.service("raw-garbage", List.of(garbage.address()));
      ingress.ingress("raw-cgi", "cgi.test", "/", "raw-cgi", Map.of());
      ingress.ingress("raw-garbage", "garbage.test", "/", "raw-garbage", Map.of());

      HttpResponse<String> posted = ingress.awaitStatus("cgi.test", "/cgi-bin/post", 200);
      assertThat(posted.body()).isEqualTo("posted by a script\n");
      assertThat(posted.headers().firstValue("content-type")).contains("text/plain");

      HttpResponse<String> refused = ingress.awaitStatus("garbage.test", "/", 502);
      assertThat(refused.body()).contains("malformed response");
    }
  }

  @Test
  void getsSurviveAnEndpointThatAcceptsConnectionsAndClosesThem() throws Exception {
    // What a crashed container behind Docker's userland proxy looks like: the published port
    // accepts, then the proxy finds nothing listening and closes.
    try (RawUpstream dead = new RawUpstream(network.hostAddress(), "")) {
      ingress.service("half-dead", List.of(blue.address(), dead.address()));
      ingress.ingress("half-dead", "half-dead.test", "/", "half-dead", Map.of());
      ingress.awaitStatus("half-dead.test", "/index.html", 200);
      int failed = 0;
      for (int i = 0; i < 100; i++) {
        if (ingress.get("half-dead.test", "/index.html").statusCode() != 200) {
          failed++;
        }
      }
      assertThat(failed).as("GETs answered other than 200 of 100").isZero();
    }
  }

  /** An upstream that answers every connection with the same bytes and closes it. */
  private static final class RawUpstream implements AutoCloseable {
    private final java.net.ServerSocket server;
    private final Thread acceptor;

    RawUpstream(String host, String answer) throws java.io.IOException {
      server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName(host));
      acceptor = Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            byte[] head = new byte[4096];
            in.read(head); // the request's head; the answer does not depend on it
            socket.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
          } catch (java.io.IOException e) {
            // closed, or a client gave up
          }
        }
      });
    }

    String address() {
      return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join(5000);
    }
  }

}
