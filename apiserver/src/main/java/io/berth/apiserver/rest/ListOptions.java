package io.berth.apiserver.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The query of a list or watch, checked as kube-apiserver checks it: which objects
 * (selectors), as of which version (resourceVersion and resourceVersionMatch), how
 * many at a time (limit, continue), and for a watch, bookmarks and how long.
 *
 * @param resourceVersion the resourceVersion asked for, or null when none was given
 * @param exact resourceVersionMatch=Exact: the list must be as of exactly that version
 * @param limit the page size; 0 for no paging
 * @param continueToken the token of the next page, or null
 * @param timeout how long a watch lasts before the server ends it
 */
record ListOptions(ListSelection selection, String resourceVersion, boolean exact, int limit,
    ContinueToken continueToken, boolean watch, boolean allowBookmarks, Duration timeout,
    boolean sendInitialEvents) {

  /**
   * kube-apiserver ends a watch without timeoutSeconds after a random time between its
   * --min-request-timeout (30 minutes) and twice that, so that clients reconnect spread out.
   */
  private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofMinutes(30);

  /** @throws ApiException 400 when a parameter is malformed or the combination is not allowed */
  static ListOptions from(Map<String, List<String>> query, String kind) {
    ListSelection selection = ListSelection.from(query, kind);
    String rv = first(query, "resourceVersion");
    String match = first(query, "resourceVersionMatch");
    String continueParam = first(query, "continue");
    boolean watch = flag(query, "watch");
    if (rv != null && !rv.isEmpty() && !rv.chars().allMatch(Character::isDigit)) {
      throw Statuses.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a non-negative integer");
    }
    if (rv != null && rv.isEmpty()) {
      rv = null;
    }
    boolean exact = false;
    if (match != null && !match.isEmpty()) {
      if (rv == null) {
        throw Statuses.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless "
            + "resourceVersion is provided");
      }
      switch (match) {
        case "Exact" -> exact = true;
        case "NotOlderThan" -> exact = false;
        default -> throw Statuses.badRequest("resourceVersionMatch: Unsupported value: \"" + match
            + "\": supported values: \"Exact\", \"NotOlderThan\"");
      }
      if (exact && rv.equals("0")) {
        throw Statuses.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is forbidden "
            + "for resourceVersion \"0\"");
      }
      if (watch) {
        throw Statuses.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch");
      }
    }
    ContinueToken token = null;
    if (continueParam != null && !continueParam.isEmpty()) {
      if (rv != null) {
        throw Statuses.badRequest("specifying resource version is not allowed when using continue");
      }
      token = ContinueToken.decode(continueParam);
    }
    int limit = (int) Math.min(Integer.MAX_VALUE, nonNegative(query, "limit"));
    long timeoutSeconds = nonNegative(query, "timeoutSeconds");
    Duration timeout = timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds)
        : MIN_REQUEST_TIMEOUT.plusMillis(ThreadLocalRandom.current().nextLong(MIN_REQUEST_TIMEOUT.toMillis()));
    boolean sendInitialEvents = flag(query, "sendInitialEvents");
    if (sendInitialEvents && (!watch || !flag(query, "allowWatchBookmarks"))) {
      throw Statuses.badRequest("sendInitialEvents: Forbidden: sendInitialEvents is allowed only for watch "
          + "requests with allowWatchBookmarks=true");
    }
    return new ListOptions(selection, rv, exact, limit, token, watch, flag(query, "allowWatchBookmarks"), timeout,
        sendInitialEvents);
  }

  /** The resourceVersion as a number; empty when none was given. */
  OptionalLong revision() {
    return resourceVersion == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(resourceVersion));
  }

  /** resourceVersion=0: any version will do, the cache's as it is. */
  boolean anyVersion() {
    return "0".equals(resourceVersion);
  }

  private static long nonNegative(Map<String, List<String>> query, String name) {
    String value = first(query, name);
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Statuses.badRequest(name + ": Invalid value: \"" + value + "\": must be a non-negative integer");
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    String value = first(query, name);
    return value != null && (value.equals("true") || value.equals("1"));
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
