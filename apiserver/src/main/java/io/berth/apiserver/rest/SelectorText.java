package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A LabelSelector object ({matchLabels, matchExpressions}) in the string syntax of
 * the labelSelector query parameter, as a Scale's status.selector carries it.
 */
final class SelectorText {
  private SelectorText() {}

  static String of(JsonNode selector) {
    List<String> terms = new ArrayList<>();
    selector.path("matchLabels").properties().forEach(e -> terms.add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      List<String> values = new ArrayList<>();
      expression.path("values").forEach(v -> values.add(v.asText()));
      switch (expression.path("operator").asText()) {
        case "In" -> terms.add(key + " in (" + String.join(",", values) + ")");
        case "NotIn" -> terms.add(key + " notin (" + String.join(",", values) + ")");
        case "Exists" -> terms.add(key);
        case "DoesNotExist" -> terms.add("!" + key);
        default -> { }
      }
    }
    return String.join(",", terms);
  }
}
