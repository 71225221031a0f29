package io.berth.apiserver.selection;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.rest.ObjectCodec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@code fieldSelector} query parameter: {@code field=value}, {@code field==value} or
 * {@code field!=value}, joined by commas. Every kind supports metadata.name and
 * metadata.namespace; some kinds more, as kube-apiserver declares them (pods by
 * spec.nodeName and status.phase, which agents and the scheduler rely on; events by
 * involvedObject.*, which kubectl describe uses).
 */
public final class FieldSelector {
  private static final List<String> COMMON = List.of("metadata.name", "metadata.namespace");
  private static final Map<String, List<String>> BY_KIND = Map.of(
      "Pod", List.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
          "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
      "Event", List.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
      "Secret", List.of("type"),
      "Namespace", List.of("status.phase"),
      "Node", List.of("spec.unschedulable"),
      "ReplicaSet", List.of("status.replicas"));

  private final List<Predicate<HasMetadata>> requirements;

  private FieldSelector(List<Predicate<HasMetadata>> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** A selector on the fields every kind has. */
  public static FieldSelector parse(String selector) {
    return parse(selector, "");
  }

  /**
   * @param kind the kind selected from, which decides the fields allowed
   * @throws IllegalArgumentException naming the field or term the server cannot select on
   */
  public static FieldSelector parse(String selector, String kind) {
    List<String> allowed = new ArrayList<>(COMMON);
    allowed.addAll(BY_KIND.getOrDefault(kind, List.of()));
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
      if (!allowed.contains(field)) {
        throw new IllegalArgumentException("field label not supported: " + field);
      }
      Function<HasMetadata, String> getter = getter(field);
      requirements.add(negated ? o -> !value.equals(getter.apply(o)) : o -> value.equals(getter.apply(o)));
    }
    return new FieldSelector(requirements);
  }

  /** Reads a dotted field from the object's JSON; an absent field reads as "", as in Kubernetes. */
  private static Function<HasMetadata, String> getter(String field) {
    // Every agent watches its pods by spec.nodeName: read the hot fields without a JSON round trip.
    switch (field) {
      case "metadata.name" -> {
        return o -> o.getMetadata() == null ? "" : nullToEmpty(o.getMetadata().getName());
      }
      case "metadata.namespace" -> {
        return o -> o.getMetadata() == null ? "" : nullToEmpty(o.getMetadata().getNamespace());
      }
      case "spec.nodeName" -> {
        return o -> o instanceof Pod p && p.getSpec() != null ? nullToEmpty(p.getSpec().getNodeName()) : "";
      }
      case "status.phase" -> {
        Function<HasMetadata, String> otherKinds = jsonGetter(field);
        return o -> o instanceof Pod p ? (p.getStatus() == null ? "" : nullToEmpty(p.getStatus().getPhase()))
            : otherKinds.apply(o);
      }
      default -> { }
    }
    return jsonGetter(field);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Function<HasMetadata, String> jsonGetter(String field) {
    JsonPointer pointer = JsonPointer.compile("/" + field.replace('.', '/'));
    return o -> {
      JsonNode value = ObjectCodec.JSON.valueToTree(o).at(pointer);
      return value.isMissingNode() || value.isNull() ? "" : value.asText();
    };
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public boolean matches(HasMetadata object) {
    return requirements.stream().allMatch(r -> r.test(object));
  }
}
