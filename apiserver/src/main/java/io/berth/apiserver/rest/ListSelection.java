package io.berth.apiserver.rest;

import io.berth.apiserver.selection.FieldSelector;
import io.berth.apiserver.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * Which objects of a list the client asked for: its labelSelector and fieldSelector.
 * Applied to the objects read from the store; the list's resourceVersion stays the
 * revision of the read, as in Kubernetes.
 */
record ListSelection(LabelSelector labels, FieldSelector fields) {

  /** @throws ApiException 400 when a selector does not parse or names an unknown field */
  static ListSelection from(Map<String, List<String>> query, String kind) {
    try {
      return new ListSelection(LabelSelector.parse(first(query, "labelSelector")),
          FieldSelector.parse(first(query, "fieldSelector"), kind));
    } catch (IllegalArgumentException e) {
      throw Statuses.badRequest(e.getMessage());
    }
  }

  /** Whether it selects every object, so nothing need be decoded to filter. */
  boolean isEverything() {
    return labels.isEmpty() && fields.isEmpty();
  }

  boolean matches(HasMetadata object) {
    if (isEverything()) {
      return true;
    }
    Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
    return labels().matches(labels) && fields().matches(object);
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }
}
