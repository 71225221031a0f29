package io.berth.apiserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON-over-HTTP client for tests: method, URL, body in; status and parsed body out. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String token;

  public Http() {
    this(null);
  }

  /** Requests that carry {@code Authorization: Bearer token} (none when null). */
  public Http(String token) {
    this.token = token;
  }

  /** A response: its HTTP status and its body parsed as JSON. */
  public record Reply(int code, JsonNode body) {}

  public Reply send(String method, String url, String body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
        .method(method, publisher);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode parsed;
    try {
      parsed = JSON.readTree(response.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      parsed = JSON.getNodeFactory().textNode(response.body()); // /healthz answers "ok"
    }
    return new Reply(response.statusCode(), parsed);
  }

  public Reply get(String url) throws IOException, InterruptedException {
    return send("GET", url, null);
  }
}
