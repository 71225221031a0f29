package io.berth.apiserver.rest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A resource URL taken apart, before it is looked up in the resource table:
 * <pre>
 *   /api/v1/namespaces/NS/PLURAL[/NAME[/SUBRESOURCE]]          namespaced, core group
 *   /apis/GROUP/VERSION/namespaces/NS/PLURAL[/NAME[/SUB]]      namespaced, named group
 *   /api/v1/PLURAL[/NAME[/SUB]]                                 cluster-scoped, or all namespaces
 * </pre>
 * {@code /api/v1/namespaces/NAME} is the Namespace NAME itself, not a namespace
 * prefix: the segment after a namespace name is what tells the two apart.
 *
 * @param group "" for the core group
 * @param namespace null when the path names no namespace
 * @param name null for a collection
 * @param subresource null unless the path names one
 */
public record ResourcePath(String group, String version, String namespace, String plural, String name,
    String subresource) {

  /** Parses a request path (without the query); empty if it is not a resource path. */
  public static Optional<ResourcePath> parse(String path) {
    List<String> s = segments(path);
    if (s.size() >= 3 && s.get(0).equals("api")) {
      return fromResource("", s.get(1), s.subList(2, s.size()));
    }
    if (s.size() >= 4 && s.get(0).equals("apis")) {
      return fromResource(s.get(1), s.get(2), s.subList(3, s.size()));
    }
    return Optional.empty();
  }

  private static Optional<ResourcePath> fromResource(String group, String version, List<String> rest) {
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      // namespaces/NS/PLURAL[/NAME[/SUB]]
      String namespace = rest.get(1);
      return of(group, version, namespace, rest.subList(2, rest.size()));
    }
    return of(group, version, null, rest);
  }

  private static Optional<ResourcePath> of(String group, String version, String namespace, List<String> r) {
    if (r.isEmpty() || r.size() > 3) {
      return Optional.empty();
    }
    return Optional.of(new ResourcePath(group, version, namespace, r.get(0),
        r.size() > 1 ? r.get(1) : null, r.size() > 2 ? r.get(2) : null));
  }

  private static List<String> segments(String path) {
    return Arrays.stream(path.split("/")).filter(seg -> !seg.isEmpty()).toList();
  }
}
