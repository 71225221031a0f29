package io.berth.apiserver.rest;

import java.util.List;
import java.util.Map;

/**
 * The Kubernetes verb of a resource request, from its method, path and query (as
 * kube-apiserver's RequestInfo resolves it): the word authorization, metrics and
 * the handlers all use.
 */
public final class Verbs {
  private Verbs() {}

  /** The verb, or null when the method means nothing on this path (answered 405). */
  public static String of(String method, ResourcePath path, Map<String, List<String>> query) {
    boolean named = path.name() != null;
    return switch (method) {
      case "GET" -> isWatch(query) ? "watch" : named ? "get" : "list";
      // POST to a named object's subresource creates it (pods/binding, pods/eviction).
      case "POST" -> !named || path.subresource() != null ? "create" : null;
      case "PUT" -> named ? "update" : null;
      case "PATCH" -> named ? "patch" : null;
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> null;
    };
  }

  public static boolean isWatch(Map<String, List<String>> query) {
    List<String> values = query.get("watch");
    return values != null && !values.isEmpty() && (values.get(0).equals("true") || values.get(0).equals("1"));
  }

  /** Whether the request stays open for a long time (a watch, a followed log), so limits do not count it. */
  public static boolean isLongRunning(ResourcePath path, Map<String, List<String>> query) {
    if (isWatch(query)) {
      return true;
    }
    List<String> follow = query.get("follow");
    return "log".equals(path.subresource()) && follow != null && !follow.isEmpty() && follow.get(0).equals("true");
  }

  public static boolean isMutating(String method) {
    return switch (method) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }
}
