package io.berth.ingress.routing;

/**
 * One path of an Ingress rule and where it leads.
 *
 * <p>Prefix matching is element-wise, as the Ingress specification says: the path is split
 * by '/', and every element of the rule's path must equal the request's element at the same
 * place ({@code /foo/bar} matches {@code /foo/bar/baz} but not {@code /foo/barbaz}); a trailing
 * slash on either side is ignored. Exact matching compares the whole path, trailing slash included.
 */
public record PathRule(String path, PathType type, Route route) {
  public PathRule {
    path = path == null || path.isEmpty() ? "/" : path;
    if (type == PathType.PREFIX) {
      path = trimTrailingSlashes(path);
    }
  }

  /** Whether this rule matches {@code requestPath} (the path only: no query string). */
  public boolean matches(String requestPath) {
    if (type == PathType.EXACT) {
      return path.equals(requestPath);
    }
    if (path.equals("/")) {
      return true;
    }
    if (!requestPath.startsWith(path)) {
      return false;
    }
    // The rule's last element must end where a request element ends.
    return requestPath.length() == path.length() || requestPath.charAt(path.length()) == '/';
  }

  /** Precedence among matching rules of one host: longer paths first, then Exact before Prefix. */
  int specificity() {
    return path.length() * 2 + (type == PathType.EXACT ? 1 : 0);
  }

  private static String trimTrailingSlashes(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }
}
