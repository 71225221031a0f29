package io.berth.apiserver.rest;

/** What the API answers to one request: an HTTP status and a JSON body. */
public record ApiResponse(int code, byte[] body) {
  public static final String JSON = "application/json";
}
