package io.berth.apiserver.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@code labelSelector} query parameter, in Kubernetes' string syntax: requirements
 * joined by commas, each all of which must hold.
 * <pre>
 *   k=v  k==v  k!=v        equality (k!=v also holds when k is absent)
 *   k in (a,b)  k notin (a,b)   set-based (notin also holds when k is absent)
 *   k  !k                  existence
 * </pre>
 */
public final class LabelSelector {
  private final List<Predicate<Map<String, String>>> requirements;

  private LabelSelector(List<Predicate<Map<String, String>>> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** @throws IllegalArgumentException with a message for the client when the syntax is wrong */
  public static LabelSelector parse(String selector) {
    List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
    for (String requirement : splitOutsideParentheses(selector == null ? "" : selector)) {
      String r = requirement.trim();
      if (!r.isEmpty()) {
        requirements.add(requirement(r));
      }
    }
    return new LabelSelector(requirements);
  }

  /** Whether the selector selects everything (it has no requirements). */
  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(r -> r.test(l));
  }

  private static Predicate<Map<String, String>> requirement(String r) {
    String[] setBased = r.split("\\s+(?=(in|notin)\\s*\\()", 2);
    if (setBased.length == 2) {
      String key = key(setBased[0]);
      boolean in = setBased[1].startsWith("in");
      String list = setBased[1].substring(setBased[1].indexOf('(') + 1);
      if (!list.endsWith(")")) {
        throw new IllegalArgumentException("unable to parse requirement: missing ')' in \"" + r + "\"");
      }
      Set<String> values = Set.copyOf(List.of(list.substring(0, list.length() - 1).split("\\s*,\\s*")).stream()
          .map(String::trim).toList());
      return in ? labels -> labels.containsKey(key) && values.contains(labels.get(key))
          : labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
    }
    int notEquals = r.indexOf("!=");
    if (notEquals > 0) {
      String key = key(r.substring(0, notEquals));
      String value = r.substring(notEquals + 2).trim();
      return labels -> !value.equals(labels.get(key));
    }
    int equals = r.indexOf('=');
    if (equals > 0) {
      String key = key(r.substring(0, equals));
      String value = r.substring(r.startsWith("==", equals) ? equals + 2 : equals + 1).trim();
      return labels -> value.equals(labels.get(key));
    }
    if (r.startsWith("!")) {
      String key = key(r.substring(1));
      return labels -> !labels.containsKey(key);
    }
    String key = key(r);
    return labels -> labels.containsKey(key);
  }

  private static String key(String raw) {
    String key = raw.trim();
    if (key.isEmpty() || key.contains(" ") || key.contains("(") || key.contains("=")) {
      throw new IllegalArgumentException("unable to parse requirement: invalid label key \"" + raw.trim() + "\"");
    }
    return key;
  }

  /** Splits on commas that are not inside {@code (...)}, so "k in (a,b),x=y" is two requirements. */
  private static List<String> splitOutsideParentheses(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }
}
