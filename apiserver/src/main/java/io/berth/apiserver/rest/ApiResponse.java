package io.berth.apiserver.rest;

/**
 * What the API answers to one request: an HTTP status and a JSON body, or, for a
 * watch, a body streamed as it happens.
 *
 * @param stream the streamed body, or null when {@code body} is the whole answer
 */
public record ApiResponse(int code, byte[] body, StreamingBody stream) {
  public static final String JSON = "application/json";

  public ApiResponse(int code, byte[] body) {
    this(code, body, null);
  }

  /** A 200 whose body is streamed. */
  public static ApiResponse streaming(StreamingBody stream) {
    return new ApiResponse(200, new byte[0], stream);
  }
}
