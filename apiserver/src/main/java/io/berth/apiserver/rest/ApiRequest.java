package io.berth.apiserver.rest;

import java.util.List;
import java.util.Map;

/**
 * One API request, taken off the wire.
 *
 * @param path the path without its query string
 * @param query the decoded query parameters
 * @param contentType the Content-Type header, or null
 * @param accept the Accept header, or null
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String contentType,
    String accept, byte[] body) {
  public ApiRequest {
    query = Map.copyOf(query);
  }

  /** A request that accepts JSON, whatever it is. */
  public ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, byte[] body) {
    this(method, path, query, contentType, null, body);
  }
}
