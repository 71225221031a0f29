package io.berth.apiserver.rest;

import java.util.List;
import java.util.Map;

/**
 * Query parameters whose meaning this slice does not implement yet, refused with a
 * 400 rather than ignored: ignoring them would answer a different question than the
 * one asked (a dryRun create that really creates, a watch that returns a list, a
 * continue token that starts over). Parameters that may safely be
 * ignored (limit: a list may hold more; resourceVersion on get and list: the latest
 * state is never older than asked; pretty) pass, and so do those PATCH honours
 * (fieldManager, force; fieldManager is ignored on create and update so far).
 */
final class UnsupportedOptions {
  private static final List<String> REFUSED = List.of("watch", "dryRun", "continue");

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
