package io.berth.client.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A request as the fake API server read it off the wire. */
public record RecordedRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
    String body) {

  static RecordedRequest parse(String requestLine, Map<String, String> headers, String body) {
    String[] parts = requestLine.split(" ");
    String target = parts[1];
    int q = target.indexOf('?');
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return new RecordedRequest(parts[0], q < 0 ? target : target.substring(0, q), query, headers, body);
  }

  /** A header by name, any case; null if absent. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String query(String name) {
    return query.get(name);
  }

  public boolean isWatch() {
    return "true".equals(query.get("watch"));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
