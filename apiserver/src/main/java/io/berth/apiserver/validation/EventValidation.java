package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.Set;

/**
 * Events: what they are about (involvedObject) must live where the event lives, so that
 * {@code kubectl describe} in a namespace finds every event about its objects; the short
 * text fields have the limits kube-apiserver gives them.
 */
final class EventValidation {
  private static final Set<String> TYPES = Set.of("Normal", "Warning");
  private static final int SHORT_TEXT_LIMIT = 128;
  private static final int MESSAGE_LIMIT = 1024;

  private EventValidation() {}

  static void event(Event event, Errors errors) {
    ObjectReference involved = event.getInvolvedObject();
    FieldPath involvedPath = FieldPath.root("involvedObject");
    String namespace = event.getMetadata() == null ? null : event.getMetadata().getNamespace();
    if (involved == null) {
      errors.required(involvedPath, "");
    } else {
      if (MetadataValidation.isEmpty(involved.getKind())) {
        errors.required(involvedPath.child("kind"), "");
      }
      if (MetadataValidation.isEmpty(involved.getName())) {
        errors.required(involvedPath.child("name"), "");
      }
      // A cluster-scoped object (no namespace) may have its events in any namespace, usually default.
      if (!MetadataValidation.isEmpty(involved.getNamespace()) && !involved.getNamespace().equals(namespace)) {
        errors.invalid(involvedPath.child("namespace"), involved.getNamespace(), "does not match event.namespace");
      }
    }
    errors.oneOf(FieldPath.root("type"), MetadataValidation.isEmpty(event.getType()) ? null : event.getType(), TYPES);
    atMost(FieldPath.root("reason"), event.getReason(), SHORT_TEXT_LIMIT, errors);
    atMost(FieldPath.root("action"), event.getAction(), SHORT_TEXT_LIMIT, errors);
    atMost(FieldPath.root("reportingInstance"), event.getReportingInstance(), SHORT_TEXT_LIMIT, errors);
    atMost(FieldPath.root("message"), event.getMessage(), MESSAGE_LIMIT, errors);
    if (!MetadataValidation.isEmpty(event.getReportingComponent())) {
      errors.invalid(FieldPath.root("reportingComponent"), event.getReportingComponent(),
          Syntax.qualifiedName(event.getReportingComponent()));
    }
    if (event.getCount() != null) {
      errors.atLeast(FieldPath.root("count"), event.getCount(), 0);
    }
  }

  private static void atMost(FieldPath path, String value, int limit, Errors errors) {
    if (value != null && value.length() > limit) {
      errors.invalid(path, value, "can have at most " + limit + " characters");
    }
  }
}
