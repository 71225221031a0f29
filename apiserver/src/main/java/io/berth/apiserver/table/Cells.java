package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Cell formatting shared by the kinds' columns, as kube-apiserver's printers format these values. */
final class Cells {
  static final String NONE = "<none>";

  private Cells() {}

  static String orNone(JsonNode value) {
    return value.isMissingNode() || value.isNull() || value.asText("").isEmpty() ? NONE : value.asText();
  }

  static String orNone(List<String> values) {
    return values.isEmpty() ? NONE : String.join(",", values);
  }

  /** One field of every element of an array, comma-joined ("c1,c2" for container names). */
  static String join(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(item -> values.add(item.path(field).asText("")));
    return String.join(",", values);
  }

  /** A label map as "a=1,b=2", sorted by key; "<none>" when empty. */
  static String labels(JsonNode labels) {
    TreeMap<String, String> sorted = new TreeMap<>();
    labels.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> pairs = new ArrayList<>();
    sorted.forEach((k, v) -> pairs.add(k + "=" + v));
    return orNone(pairs);
  }

  /**
   * A metav1.LabelSelector as a selector string ("app=web,tier in (a,b),!canary"), requirements
   * sorted by key; "<none>" for an empty selector.
   */
  static String selector(JsonNode selector) {
    TreeMap<String, List<String>> byKey = new TreeMap<>();
    selector.path("matchLabels").properties()
        .forEach(e -> byKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode r : selector.path("matchExpressions")) {
      String key = r.path("key").asText();
      List<String> values = new ArrayList<>();
      r.path("values").forEach(v -> values.add(v.asText()));
      values.sort(null);
      String requirement = switch (r.path("operator").asText()) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> key + " " + r.path("operator").asText();
      };
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(requirement);
    }
    List<String> all = new ArrayList<>();
    byKey.values().forEach(all::addAll);
    return orNone(all);
  }

  /** At most {@code max} items, then " + N more...", as kubectl shortens long lists. */
  static String firstFew(List<String> items, int max) {
    if (items.size() <= max) {
      return String.join(",", items);
    }
    return String.join(",", items.subList(0, max)) + " + " + (items.size() - max) + " more...";
  }
}
