package io.berth.apiserver.rest;

import java.util.Map;

/**
 * What the API answers to one request: an HTTP status, a body, the body's media type,
 * and any further headers (caching of the OpenAPI documents, redirects).
 *
 * @param contentType the Content-Type header; most answers are {@link #JSON}, but aggregated
 *     discovery must name its kind in it (g, v, as parameters)
 * @param headers extra response headers, by name
 */
public record ApiResponse(int code, byte[] body, String contentType, Map<String, String> headers) {
  public static final String JSON = "application/json";

  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  /** A JSON answer with no extra headers: what nearly every request gets. */
  public ApiResponse(int code, byte[] body) {
    this(code, body, JSON, Map.of());
  }
}
