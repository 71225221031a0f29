package io.berth.apiserver.selection;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@code fieldSelector} query parameter: {@code field=value}, {@code field==value} or
 * {@code field!=value}, joined by commas. Every kind supports metadata.name and
 * metadata.namespace, as in Kubernetes; the kind-specific fields (spec.nodeName,
 * status.phase, involvedObject.*) come with the kinds that need them.
 */
public final class FieldSelector {
  private static final Map<String, Function<HasMetadata, String>> FIELDS = Map.of(
      "metadata.name", o -> o.getMetadata() == null ? null : o.getMetadata().getName(),
      "metadata.namespace", o -> o.getMetadata() == null ? null : o.getMetadata().getNamespace());

  private final List<Predicate<HasMetadata>> requirements;

  private FieldSelector(List<Predicate<HasMetadata>> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** @throws IllegalArgumentException naming the field or term the server cannot select on */
  public static FieldSelector parse(String selector) {
    List<Predicate<HasMetadata>> requirements = new ArrayList<>();
    for (String term : (selector == null ? "" : selector).split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      boolean negated = t.contains("!=");
      String[] parts = t.split(negated ? "!=" : "==?", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException("invalid field selector term \"" + t + "\": expected field=value");
      }
      String field = parts[0].trim();
      String value = parts[1].trim();
      Function<HasMetadata, String> getter = FIELDS.get(field);
      if (getter == null) {
        throw new IllegalArgumentException("\"" + field + "\" is not a known field selector: only "
            + "\"metadata.name\", \"metadata.namespace\"");
      }
      requirements.add(negated ? o -> !value.equals(getter.apply(o)) : o -> value.equals(getter.apply(o)));
    }
    return new FieldSelector(requirements);
  }

  public boolean matches(HasMetadata object) {
    return requirements.stream().allMatch(r -> r.test(object));
  }
}
