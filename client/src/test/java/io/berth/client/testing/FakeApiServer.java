package io.berth.client.testing;

import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Kubernetes API server for tests, speaking HTTP/1.1 over plain sockets so that a test
 * controls the wire exactly: canned JSON answers (Content-Type application/json,
 * Content-Length), Kubernetes Status errors, Retry-After, watch streams as kube-apiserver
 * sends them (Transfer-Encoding chunked, one JSON event and a newline per chunk), resets
 * before an answer, hang-ups, and keep-alive connections. What to answer is decided per
 * request by a {@link Responder}; every request is recorded.
 */
public final class FakeApiServer implements AutoCloseable {

  /** Decides the reply to one request; called on the connection's thread. */
  public interface Responder {
    Reply answer(RecordedRequest request);
  }

  public sealed interface Reply permits Answer, Reset, HangUp, Watch {}

  public record Answer(int status, String body, Map<String, String> headers) implements Reply {}

  /** Reset the connection (RST) without answering. */
  public record Reset() implements Reply {}

  /** Close the connection (FIN) without answering. */
  public record HangUp() implements Reply {}

  /** Start a watch response; the test drives it through {@link #nextWatch()}. */
  public record Watch() implements Reply {}

  private final ServerSocket listener;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final BlockingQueue<WatchChannel> watches = new LinkedBlockingQueue<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Responder responder;

  private FakeApiServer(Responder responder) throws IOException {
    this.responder = responder;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("fake-api-accept").start(this::acceptLoop);
  }

  public static FakeApiServer start(Responder responder) {
    try {
      return new FakeApiServer(responder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A URL on which nothing listens: connections to it are refused. */
  public static URI closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Reply json(int status, Object body, String... headerNamesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < headerNamesAndValues.length; i += 2) {
      headers.put(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
    }
    try {
      return new Answer(status, Json.MAPPER.writeValueAsString(body), headers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Kubernetes Status error, as kube-apiserver writes one. */
  public static Reply status(int code, String reason, String message, String... headerNamesAndValues) {
    return json(code, new StatusBuilder().withApiVersion("v1").withKind("Status").withNewMetadata().endMetadata()
        .withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build(), headerNamesAndValues);
  }

  public static Reply watch() {
    return new Watch();
  }

  public static Reply reset() {
    return new Reset();
  }

  public static Reply hangUp() {
    return new HangUp();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  public void respondWith(Responder next) {
    this.responder = next;
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public List<RecordedRequest> requests(String method) {
    return requests.stream().filter(r -> r.method().equals(method)).toList();
  }

  /** The next watch request's stream; fails the test if none comes within 5 s. */
  public WatchChannel nextWatch() throws InterruptedException {
    return nextWatch(Duration.ofSeconds(5));
  }

  public WatchChannel nextWatch(Duration timeout) throws InterruptedException {
    WatchChannel channel = watches.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (channel == null) {
      throw new AssertionError("no watch request reached " + uri() + " within " + timeout);
    }
    return channel;
  }

  /** Stops listening and resets every open connection: a crashed server. */
  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing a listener that failed to close leaves nothing to do.
    }
    open.forEach(FakeApiServer::reset);
  }

  static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // Already gone: the effect wanted.
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        open.add(socket);
        Thread.ofVirtual().name("fake-api-conn").start(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** Serves requests on one keep-alive connection until the client closes it or a reply ends it. */
  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (true) {
        RecordedRequest request = read(in);
        if (request == null) {
          return;
        }
        requests.add(request);
        switch (responder.answer(request)) {
          case Answer answer -> write(out, answer);
          case Reset r -> {
            reset(socket);
            return;
          }
          case HangUp h -> {
            return;
          }
          case Watch w -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Cache-Control: no-cache, private\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            WatchChannel channel = new WatchChannel(request, socket, out);
            watches.add(channel);
            channel.awaitFinished();
            if (!channel.keepConnection()) {
              return;
            }
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client went away or the test closed the server.
    } finally {
      open.remove(socket);
    }
  }

  private static RecordedRequest read(InputStream in) throws IOException {
    String requestLine = line(in);
    if (requestLine == null || requestLine.isEmpty()) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return RecordedRequest.parse(requestLine, headers, body);
  }

  private static void write(OutputStream out, Answer answer) throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder("HTTP/1.1 " + answer.status() + " " + reasonPhrase(answer.status())
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
    answer.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      bytes.write(b);
    }
    if (b == -1 && bytes.size() == 0) {
      return null;
    }
    String s = bytes.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
