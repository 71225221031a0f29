package io.berth.agent.logs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.LogOptions;
import io.berth.agent.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own HTTP port (the kubelet's 10250): container logs at
 * {@code GET /containerLogs/<namespace>/<pod>/<container>} with kubectl's options
 * (follow, tailLines, sinceSeconds, timestamps, previous, limitBytes), which the API server's
 * pods/log proxies to; {@code POST /exec/<namespace>/<pod>/<container>?command=...} (one
 * {@code command} parameter per argument) answering JSON {@code {"exitCode","stdout","stderr"}},
 * which the API server's pods/exec turns into kubectl's WebSocket stream; and {@code /healthz}. Each request runs on its own virtual thread, so a
 * follower holds no pool thread.
 */
public final class AgentHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentHttpServer.class);

  private final HttpServer server;
  private final ContainerRuntime runtime;
  private final ContainerLocator locator;

  public AgentHttpServer(InetSocketAddress address, ContainerRuntime runtime, ContainerLocator locator)
      throws IOException {
    this(address, runtime, locator, null);
  }

  /**
   * With {@code tls} (its certificate, key and CA; null for plain HTTP) it serves HTTPS and
   * requires a client certificate from the CA, as a kubelet with client-CA authentication does:
   * only the API servers (and other holders of cluster certificates) may read logs or exec.
   */
  public AgentHttpServer(InetSocketAddress address, ContainerRuntime runtime, ContainerLocator locator,
      io.berth.client.tls.TlsFiles tls) throws IOException {
    this.server = tls == null ? HttpServer.create(address, 64) : httpsServer(address, tls);
    this.runtime = runtime;
    this.locator = locator;
    server.createContext("/containerLogs/", this::logs);
    server.createContext("/exec/", this::exec);
    server.createContext("/healthz", exchange -> text(exchange, 200, "ok\n"));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
  }

  private static HttpServer httpsServer(InetSocketAddress address, io.berth.client.tls.TlsFiles tls)
      throws IOException {
    javax.net.ssl.SSLContext context;
    try {
      context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(tls.keyManagers().getKeyManagers(), tls.trustManagers().getTrustManagers(), null);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot serve TLS with " + tls.certFile() + ": " + e.getMessage(), e);
    }
    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 64);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(context) {
      @Override
      public void configure(com.sun.net.httpserver.HttpsParameters parameters) {
        javax.net.ssl.SSLParameters ssl = context.getDefaultSSLParameters();
        ssl.setNeedClientAuth(true);
        parameters.setSSLParameters(ssl);
      }
    });
    return https;
  }

  public AgentHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void logs(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        text(exchange, 405, "only GET\n");
        return;
      }
      String[] parts = exchange.getRequestURI().getPath().substring("/containerLogs/".length()).split("/");
      if (parts.length < 2 || parts.length > 3) {
        text(exchange, 400, "expected /containerLogs/<namespace>/<pod>/<container>\n");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String namespace = parts[0];
      String pod = parts[1];
      Optional<String> container = parts.length == 3 ? Optional.of(parts[2]) : locator.defaultContainer(namespace, pod);
      if (container.isEmpty()) {
        text(exchange, 400, "a container name must be given for pod " + pod + "\n");
        return;
      }
      LogOptions options;
      try {
        options = new LogOptions(bool(query.get("follow")), integer(query, "tailLines", -1),
            integer(query, "sinceSeconds", 0), bool(query.get("timestamps")), integer(query, "limitBytes", 0));
      } catch (NumberFormatException e) {
        text(exchange, 400, "bad number: " + e.getMessage() + "\n");
        return;
      }
      boolean previous = bool(query.get("previous"));
      Optional<String> id = locator.find(namespace, pod, container.get(), previous);
      if (id.isEmpty()) {
        text(exchange, 404, (previous ? "previous terminated container " : "container ") + container.get()
            + " in pod " + namespace + "/" + pod + " not found\n");
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      OutputStream body = exchange.getResponseBody();
      try {
        runtime.logs(id.get(), options, body);
      } catch (RuntimeFailure e) {
        body.write(("error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the reader went away (kubectl logs -f interrupted)
        log.debug("log stream of {}/{}/{} ended: {}", namespace, pod, container.get(), e.getMessage());
      }
    }
  }

  /** Runs a non-interactive command in the pod's container and answers its output and exit code. */
  private void exec(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        text(exchange, 405, "only POST\n");
        return;
      }
      String[] parts = exchange.getRequestURI().getPath().substring("/exec/".length()).split("/");
      java.util.List<String> command = new java.util.ArrayList<>();
      String raw = exchange.getRequestURI().getRawQuery();
      int timeout = 60;
      if (raw != null) {
        for (String pair : raw.split("&")) {
          int eq = pair.indexOf('=');
          String key = eq < 0 ? pair : pair.substring(0, eq);
          String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (key.equals("command")) {
            command.add(value);
          } else if (key.equals("timeoutSeconds") && value.matches("\\d{1,5}")) {
            timeout = Integer.parseInt(value);
          }
        }
      }
      if (parts.length != 3 || command.isEmpty()) {
        text(exchange, 400, "expected POST /exec/<namespace>/<pod>/<container>?command=...\n");
        return;
      }
      Optional<String> id = locator.find(parts[0], parts[1], parts[2], false);
      if (id.isEmpty()) {
        text(exchange, 404, "container " + parts[2] + " in pod " + parts[0] + "/" + parts[1] + " not found\n");
        return;
      }
      try {
        var result = runtime.exec(id.get(), command, java.time.Duration.ofSeconds(timeout));
        log.info("exec in {}/{}/{}: {} exited {}", parts[0], parts[1], parts[2], command.get(0), result.exitCode());
        byte[] body = io.berth.client.transport.Json.MAPPER.writeValueAsBytes(Map.of("exitCode", result.exitCode(),
            "stdout", result.stdout(), "stderr", result.stderr()));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      } catch (RuntimeFailure e) {
        text(exchange, 400, e.getMessage() + "\n");
      }
    }
  }

  private static boolean bool(String value) {
    return value != null && (value.isEmpty() || value.equals("true") || value.equals("1"));
  }

  private static int integer(Map<String, String> query, String name, int fallback) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  private static void text(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
