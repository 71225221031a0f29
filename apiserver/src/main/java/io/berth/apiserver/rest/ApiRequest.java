package io.berth.apiserver.rest;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One API request, taken off the wire.
 *
 * @param path the path without its query string
 * @param query the decoded query parameters
 * @param contentType the Content-Type header, or null
 * @param accept the Accept header, or null
 * @param headers every header by lower-case name (the first value of each)
 * @param clientCertificates the chain the client presented in the TLS handshake, already
 *     verified against the client CA; empty over plain HTTP or when it presented none
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String contentType,
    String accept, byte[] body, Map<String, String> headers, List<X509Certificate> clientCertificates) {
  public ApiRequest {
    query = Map.copyOf(query);
    clientCertificates = List.copyOf(clientCertificates);
    TreeMap<String, String> lowerCase = new TreeMap<>();
    headers.forEach((name, value) -> lowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
    headers = java.util.Collections.unmodifiableMap(lowerCase);
  }

  public ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, String accept,
      byte[] body, Map<String, String> headers) {
    this(method, path, query, contentType, accept, body, headers, List.of());
  }

  public ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, String accept,
      byte[] body) {
    this(method, path, query, contentType, accept, body, Map.of());
  }

  /** A request that accepts JSON, whatever it is. */
  public ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, byte[] body) {
    this(method, path, query, contentType, null, body, Map.of());
  }

  /** The header's value, or null; names are matched without regard to case, as HTTP says. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
