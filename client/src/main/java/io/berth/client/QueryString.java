package io.berth.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** Builds a URL query, encoding each value and skipping absent ones. */
final class QueryString {
  private final StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");

  QueryString add(String name, Object value) {
    if (value != null && !value.toString().isEmpty()) {
      joined.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
    }
    return this;
  }

  @Override
  public String toString() {
    return joined.toString();
  }
}
