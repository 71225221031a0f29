package io.berth.client.transport;

import java.util.Map;

/**
 * One request to the API, before an endpoint is chosen for it.
 *
 * @param method HTTP method
 * @param pathAndQuery the path under the endpoint's base URL, with its encoded query
 * @param body the request body, or null for none
 * @param contentType the body's media type, or null for none
 * @param idempotent whether sending it twice has the effect of sending it once; only
 *     idempotent calls are retried after the request may have reached a server
 * @param headers extra request headers (for example the fencing token)
 */
public record HttpCall(String method, String pathAndQuery, byte[] body, String contentType, boolean idempotent,
    Map<String, String> headers) {

  public static HttpCall get(String pathAndQuery, Map<String, String> headers) {
    return new HttpCall("GET", pathAndQuery, null, null, true, headers);
  }

  @Override
  public String toString() {
    return method + " " + pathAndQuery;
  }
}
