package io.berth.client.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Sends {@link HttpCall}s to the current endpoint and, when an endpoint does not
 * answer, to the next, until one answers or the call's deadline passes.
 *
 * <p>The retry rules:
 * <ul>
 *   <li>connection refused or connect timeout: nothing was sent, so every call moves
 *       to the next endpoint and is retried;
 *   <li>any other I/O failure before a response (a reset, an early EOF, a response
 *       timeout): the request may have been applied, so only idempotent calls are
 *       retried; others fail at once with an {@link UncheckedIOException};
 *   <li>503 Service Unavailable and 429 Too Many Requests: idempotent calls move to the
 *       next endpoint and are retried, and the endpoint is not called again before its
 *       Retry-After has passed; for other calls the answer is returned as it is (a 503 may
 *       come from a write whose outcome is unknown).
 * </ul>
 * Retries wait a capped exponential back-off (or the endpoint's Retry-After, if longer).
 * When the deadline passes, the last 503/429 answer is returned, or the last I/O failure
 * is thrown as an {@link UncheckedIOException}. Every other answer, successful or not,
 * is returned to the caller, who reads the body (it may still be arriving). Thread-safe.
 */
public final class Transport implements AutoCloseable {
  private static final String USER_AGENT = "berth-client/0.1";

  private final HttpClient http;
  private final Endpoints endpoints;
  private final Backoff backoff;
  private final Duration callTimeout;
  private final Clock clock;

  public Transport(HttpClient http, Endpoints endpoints, Backoff backoff, Duration callTimeout, Clock clock) {
    this.http = http;
    this.endpoints = endpoints;
    this.backoff = backoff;
    this.callTimeout = callTimeout;
    this.clock = clock;
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** Sends {@code call} under the rules above; the caller must close the returned exchange. */
  public Exchange send(HttpCall call) {
    long deadline = System.nanoTime() + callTimeout.toNanos();
    // The last answer (a buffered 503/429) and the last failure without one. Giving up, the
    // answer wins: an attempt cut short by the call's own deadline says less than the Status
    // an endpoint gave before it.
    Exchange lastAnswer = null;
    IOException lastFailure = null;
    for (int attempt = 1; ; attempt++) {
      URI endpoint = endpoints.current();
      Duration wait = endpoints.waitBefore(endpoint);
      if (attempt > 1) {
        Duration delay = backoff.delay(attempt - 1);
        wait = wait.compareTo(delay) > 0 ? wait : delay;
      }
      if (System.nanoTime() + wait.toNanos() >= deadline) {
        return giveUp(call, lastAnswer != null ? lastAnswer : lastFailure, endpoint, wait);
      }
      sleep(wait, call);
      try {
        HttpResponse<InputStream> response =
            http.send(request(endpoint, call, Duration.ofNanos(deadline - System.nanoTime())),
                BodyHandlers.ofInputStream());
        Exchange exchange = new Exchange(endpoint, response.statusCode(), response.headers(), response.body());
        if (!tryElsewhere(exchange.status()) || !call.idempotent()) {
          return exchange;
        }
        byte[] body = exchange.readBody();
        endpoints.reportFailure(endpoint, "HTTP " + exchange.status(), RetryAfter.parse(exchange.headers(), clock));
        lastAnswer = new Exchange(endpoint, exchange.status(), exchange.headers(), new ByteArrayInputStream(body));
      } catch (ConnectException | HttpConnectTimeoutException nothingSent) {
        endpoints.reportFailure(endpoint, describe(nothingSent), null);
        lastFailure = nothingSent;
      } catch (IOException maybeSent) {
        if (!call.idempotent()) {
          throw new UncheckedIOException(call + " to " + endpoint + " failed before an answer and is not"
              + " retried, since it may have been applied: " + describe(maybeSent), maybeSent);
        }
        endpoints.reportFailure(endpoint, describe(maybeSent), null);
        lastFailure = maybeSent;
      } catch (InterruptedException e) {
        throw interrupted(call, e);
      }
    }
  }

  /** Reports that a stream from {@code endpoint} broke after its answer began (a watch). */
  public void reportBroken(URI endpoint, IOException cause) {
    endpoints.reportFailure(endpoint, describe(cause), null);
  }

  /** Closes every connection at once; calls and watches in flight fail (HttpClient.close would wait for them). */
  @Override
  public void close() {
    http.shutdownNow();
  }

  /** 503 and 429 say "not now, not here": the request was not carried out. */
  private static boolean tryElsewhere(int status) {
    return status == 503 || status == 429;
  }

  private HttpRequest request(URI endpoint, HttpCall call, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint + call.pathAndQuery()))
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT)
        .method(call.method(), call.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(call.body()));
    if (call.contentType() != null) {
      builder.header("Content-Type", call.contentType());
    }
    for (Map.Entry<String, String> header : call.headers().entrySet()) {
      builder.setHeader(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  private Exchange giveUp(HttpCall call, Object lastFailure, URI endpoint, Duration wait) {
    if (lastFailure instanceof Exchange answer) {
      return answer;
    }
    String why = lastFailure instanceof IOException e ? describe(e)
        : endpoint + " asked to wait " + wait.toMillis() + " ms";
    throw new UncheckedIOException(new IOException("no API endpoint of " + endpoints.all() + " answered " + call
        + " within " + callTimeout.toMillis() + " ms; last failure: " + why,
        lastFailure instanceof IOException e ? e : null));
  }

  private static void sleep(Duration wait, HttpCall call) {
    if (wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      throw interrupted(call, e);
    }
  }

  private static UncheckedIOException interrupted(HttpCall call, InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException io = new InterruptedIOException(call + " was interrupted");
    io.initCause(e);
    return new UncheckedIOException(io);
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message);
  }
}
