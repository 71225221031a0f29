package io.berth.apiserver.rest;

import java.util.Map;

/**
 * What the API answers to one request: an HTTP status, a body, the body's media type,
 * and any further headers (caching of the OpenAPI documents, redirects); or, for a
 * watch, a body streamed as it happens.
 *
 * @param contentType the Content-Type header; most answers are {@link #JSON}, but aggregated
 *     discovery must name its kind in it (g, v, as parameters)
 * @param headers extra response headers, by name
 * @param stream the streamed body, or null when {@code body} is the whole answer
 */
public record ApiResponse(int code, byte[] body, String contentType, Map<String, String> headers,
    StreamingBody stream) {
  public static final String JSON = "application/json";

  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public ApiResponse(int code, byte[] body, String contentType, Map<String, String> headers) {
    this(code, body, contentType, headers, null);
  }

  /** A JSON answer with no extra headers: what nearly every request gets. */
  public ApiResponse(int code, byte[] body) {
    this(code, body, JSON, Map.of(), null);
  }

  /** A 200 whose body is streamed. */
  public static ApiResponse streaming(StreamingBody stream) {
    return new ApiResponse(200, new byte[0], JSON, Map.of(), stream);
  }
}
