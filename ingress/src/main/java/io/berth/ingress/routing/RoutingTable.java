package io.berth.ingress.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where each request goes: an immutable snapshot of every Ingress this router serves,
 * with its backends resolved to ready endpoints. Built by {@link RoutingTableBuilder}
 * and swapped whole on every change ({@link RoutingTables}), so a lookup never sees half
 * of an update and needs no lock.
 *
 * <pre>
 * route(host, path):
 *   rules of the exact host            (foo.example.com)
 *   else rules of the wildcard host    (*.example.com covers exactly one more label)
 *   else rules without a host
 *     -> among their paths that match, the longest; on equal length Exact before Prefix
 *   else the defaultBackend of the oldest Ingress that has one
 *   else none (the proxy answers 404)
 * </pre>
 * The first of these host levels that has rules decides: a host with rules but no matching path
 * goes to the default backend, not to the rules without a host (as nginx's server blocks do).
 */
public final class RoutingTable {
  /** A table without routes: every request is a 404. */
  public static final RoutingTable EMPTY = new RoutingTable(Map.of(), Map.of(), List.of(), null, Map.of(), 0);

  private final Map<String, List<PathRule>> exactHosts;
  private final Map<String, List<PathRule>> wildcardHosts;
  private final List<PathRule> anyHost;
  private final Route defaultRoute;
  private final Map<String, String> tlsSecrets;
  private final long generation;

  RoutingTable(Map<String, List<PathRule>> exactHosts, Map<String, List<PathRule>> wildcardHosts,
      List<PathRule> anyHost, Route defaultRoute, Map<String, String> tlsSecrets, long generation) {
    this.exactHosts = Map.copyOf(exactHosts);
    this.wildcardHosts = Map.copyOf(wildcardHosts);
    this.anyHost = List.copyOf(anyHost);
    this.defaultRoute = defaultRoute;
    this.tlsSecrets = Map.copyOf(tlsSecrets);
    this.generation = generation;
  }

  /**
   * The route for a request.
   *
   * @param hostHeader the Host header (or :authority) as sent, port and case included; may be null
   * @param path       the request path without query string
   */
  public Optional<Route> route(String hostHeader, String path) {
    String host = normalizeHost(hostHeader);
    String p = path == null || path.isEmpty() ? "/" : path;
    List<PathRule> rules = exactHosts.get(host);
    if (rules == null) {
      int dot = host.indexOf('.');
      rules = dot > 0 ? wildcardHosts.get(host.substring(dot + 1)) : null;
    }
    if (rules == null) {
      rules = anyHost;
    }
    for (PathRule rule : rules) {
      if (rule.matches(p)) {
        return Optional.of(rule.route());
      }
    }
    return Optional.ofNullable(defaultRoute);
  }

  /** The {@code namespace/name} of the kubernetes.io/tls Secret for a TLS host (SNI name), if an Ingress names one. */
  public Optional<String> tlsSecretFor(String serverName) {
    String host = normalizeHost(serverName);
    String secret = tlsSecrets.get(host);
    if (secret == null) {
      int dot = host.indexOf('.');
      secret = dot > 0 ? tlsSecrets.get("*." + host.substring(dot + 1)) : null;
    }
    return Optional.ofNullable(secret);
  }

  /** Every TLS host and its Secret. */
  public Map<String, String> tlsSecrets() {
    return tlsSecrets;
  }

  /** How many path rules the table holds (every host), and a default route; for logs. */
  public int ruleCount() {
    int n = anyHost.size() + (defaultRoute == null ? 0 : 1);
    for (List<PathRule> rules : exactHosts.values()) {
      n += rules.size();
    }
    for (List<PathRule> rules : wildcardHosts.values()) {
      n += rules.size();
    }
    return n;
  }

  /** Counts the tables built by one builder; for logs. */
  public long generation() {
    return generation;
  }

  /** Lower case, without the port and without a trailing dot. */
  static String normalizeHost(String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String host = hostHeader;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      host = close > 0 ? host.substring(0, close + 1) : host;
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        host = host.substring(0, colon);
      }
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.toLowerCase(Locale.ROOT);
  }
}
