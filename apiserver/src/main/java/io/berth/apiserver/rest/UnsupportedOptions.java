package io.berth.apiserver.rest;

import java.util.List;
import java.util.Map;

/**
 * Query parameters whose meaning this server does not implement yet, refused with a
 * 400 rather than ignored: ignoring them would answer a different question than the
 * one asked (a dryRun create that really creates). Those PATCH honours (fieldManager,
 * force) pass; fieldManager is ignored on create and update so far.
 */
final class UnsupportedOptions {
  private static final List<String> REFUSED = List.of("dryRun");

  private UnsupportedOptions() {}

  /** @throws ApiException 400 naming the first parameter given that is not supported yet */
  static void check(Map<String, List<String>> query) {
    for (String name : REFUSED) {
      List<String> values = query.get(name);
      boolean given = values != null && values.stream().anyMatch(v -> !v.isEmpty() && !v.equals("false"));
      if (given) {
        throw Statuses.badRequest("the query parameter " + name + " is not supported by this server yet");
      }
    }
  }
}
