package io.berth.agent.probes;

import io.berth.agent.runtime.ExecResult;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Runs one probe once: httpGet (a 2xx or 3xx answer succeeds), tcpSocket (a connection
 * succeeds) or exec (exit code 0 succeeds), each within the probe's timeoutSeconds.
 */
public final class Prober {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** The outcome and, for a failure, why (it goes into events and logs). */
  public record Result(boolean success, String message) {}

  public Result run(Probe probe, ProbeTarget target) {
    Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : Math.max(1, probe.getTimeoutSeconds()));
    if (probe.getHttpGet() != null) {
      return httpGet(probe.getHttpGet(), target, timeout);
    }
    if (probe.getTcpSocket() != null) {
      return tcp(port(probe.getTcpSocket().getPort(), target), target.host(), timeout);
    }
    if (probe.getExec() != null && probe.getExec().getCommand() != null) {
      ExecResult result = target.exec(probe.getExec().getCommand(), timeout);
      return result.exitCode() == 0 ? new Result(true, "")
          : new Result(false, "exec exited " + result.exitCode() + ": " + (result.stdout() + result.stderr()).strip());
    }
    return new Result(false, "the probe has no httpGet, tcpSocket or exec action");
  }

  private Result httpGet(HTTPGetAction action, ProbeTarget target, Duration timeout) {
    int port = port(action.getPort(), target);
    if (port < 0) {
      return new Result(false, "port " + action.getPort() + " is not published");
    }
    String host = action.getHost() == null || action.getHost().isEmpty() ? target.host() : action.getHost();
    String scheme = action.getScheme() == null ? "http" : action.getScheme().toLowerCase(java.util.Locale.ROOT);
    String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + port + path))
          .timeout(timeout).header("User-Agent", "berth-probe/1.0");
      if (action.getHttpHeaders() != null) {
        action.getHttpHeaders().forEach(h -> request.header(h.getName(), h.getValue()));
      }
      int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 400 ? new Result(true, "")
          : new Result(false, "HTTP probe failed with statuscode: " + status);
    } catch (IOException | IllegalArgumentException e) {
      return new Result(false, "Get " + path + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }

  private static Result tcp(int port, String host, Duration timeout) {
    if (port < 0) {
      return new Result(false, "port is not published");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return new Result(true, "");
    } catch (IOException e) {
      return new Result(false, "dial tcp " + host + ":" + port + ": " + e.getMessage());
    }
  }

  private static int port(IntOrString port, ProbeTarget target) {
    if (port == null) {
      return -1;
    }
    return target.publishedPort(port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal());
  }
}
