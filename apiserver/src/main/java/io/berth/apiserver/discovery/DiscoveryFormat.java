package io.berth.apiserver.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which form of discovery a client asked for in its Accept header. kubectl 1.32 sends
 * {@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}, then the
 * v2beta1 form, then plain application/json, in order of preference; the first aggregated
 * form we serve wins, and without one the legacy documents are the answer.
 */
public final class DiscoveryFormat {
  static final String GROUP = "apidiscovery.k8s.io";
  static final String KIND = "APIGroupDiscoveryList";
  private static final List<String> SERVED_VERSIONS = List.of("v2", "v2beta1");

  private DiscoveryFormat() {}

  /** The apidiscovery version ("v2" or "v2beta1") the client prefers, or empty for the legacy form. */
  public static Optional<String> aggregatedVersion(String accept) {
    if (accept == null) {
      return Optional.empty();
    }
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      if (!parts[0].trim().equalsIgnoreCase("application/json")) {
        continue;
      }
      String group = null;
      String version = null;
      String as = null;
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].trim().split("=", 2);
        if (kv.length == 2) {
          switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
            case "g" -> group = kv[1].trim();
            case "v" -> version = kv[1].trim();
            case "as" -> as = kv[1].trim();
            default -> { }
          }
        }
      }
      if (GROUP.equals(group) && KIND.equals(as) && SERVED_VERSIONS.contains(version)) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  /** The Content-Type of an aggregated answer: it must name the same g, v and as the client asked for. */
  public static String contentType(String version) {
    return "application/json;g=" + GROUP + ";v=" + version + ";as=" + KIND;
  }
}
