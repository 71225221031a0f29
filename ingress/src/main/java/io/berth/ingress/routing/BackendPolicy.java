package io.berth.ingress.routing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.Map;

/**
 * Per-Ingress proxy settings, read from the Ingress's annotations (defaults when absent or
 * unreadable; an unreadable value is logged once by the table builder's caller, never fatal).
 *
 * <table>
 *   <tr><th>annotation</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@value #LOAD_BALANCE}</td><td>{@code round-robin}, {@code least-request}</td><td>round-robin</td></tr>
 *   <tr><td>{@value #CONNECT_TIMEOUT}</td><td>a duration: {@code 500ms}, {@code 2s}, {@code 1m}</td><td>2s</td></tr>
 *   <tr><td>{@value #RESPONSE_TIMEOUT}</td><td>a duration: time from the request sent to the response headers</td><td>60s</td></tr>
 * </table>
 */
public record BackendPolicy(Balancing balancing, Duration connectTimeout, Duration responseTimeout) {
  public static final String LOAD_BALANCE = "berth.io/load-balance";
  public static final String CONNECT_TIMEOUT = "berth.io/proxy-connect-timeout";
  public static final String RESPONSE_TIMEOUT = "berth.io/proxy-response-timeout";

  public static final BackendPolicy DEFAULTS =
      new BackendPolicy(Balancing.ROUND_ROBIN, Duration.ofSeconds(2), Duration.ofSeconds(60));

  /** How a backend's endpoints are chosen. */
  public enum Balancing { ROUND_ROBIN, LEAST_REQUEST }

  /** The settings of {@code ingress}; bad values fall back to the defaults. */
  public static BackendPolicy of(HasMetadata ingress) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    if (annotations == null || annotations.isEmpty()) {
      return DEFAULTS;
    }
    Balancing balancing = "least-request".equals(annotations.get(LOAD_BALANCE))
        ? Balancing.LEAST_REQUEST : Balancing.ROUND_ROBIN;
    return new BackendPolicy(balancing,
        duration(annotations.get(CONNECT_TIMEOUT), DEFAULTS.connectTimeout),
        duration(annotations.get(RESPONSE_TIMEOUT), DEFAULTS.responseTimeout));
  }

  /** {@code 250ms}, {@code 5s}, {@code 2m}, or a bare number of seconds; null when unreadable or not positive. */
  static Duration parseDuration(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(t));
      }
      return d.isNegative() || d.isZero() ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration duration(String text, Duration fallback) {
    Duration d = parseDuration(text);
    return d == null ? fallback : d;
  }
}
