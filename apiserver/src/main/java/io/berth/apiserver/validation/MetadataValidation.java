package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The metadata every object shares: its name (by the kind's {@link NameRule}), generateName,
 * namespace, labels, annotations and finalizers; and on update, the identity fields that may
 * never change.
 */
public final class MetadataValidation {
  /** Annotations ride along with every read and watch event, so their total is capped. */
  static final int TOTAL_ANNOTATION_BYTES = 256 * 1024;

  private static final FieldPath METADATA = FieldPath.root("metadata");

  private MetadataValidation() {}

  public static void validate(ObjectMeta meta, boolean namespaced, NameRule names, Errors errors) {
    if (meta == null) {
      errors.required(METADATA.child("name"), "name or generateName is required");
      return;
    }
    if (meta.getGenerateName() != null && !meta.getGenerateName().isEmpty()) {
      errors.invalid(METADATA.child("generateName"), meta.getGenerateName(), names.checkPrefix(meta.getGenerateName()));
    }
    if (isEmpty(meta.getName())) {
      errors.required(METADATA.child("name"), "name or generateName is required");
    } else {
      errors.invalid(METADATA.child("name"), meta.getName(), names.check(meta.getName()));
    }
    if (namespaced) {
      if (isEmpty(meta.getNamespace())) {
        errors.required(METADATA.child("namespace"), "");
      } else {
        errors.invalid(METADATA.child("namespace"), meta.getNamespace(), Syntax.dns1123Label(meta.getNamespace()));
      }
    } else if (!isEmpty(meta.getNamespace())) {
      errors.forbidden(METADATA.child("namespace"), "not allowed on this type");
    }
    labels(meta.getLabels(), METADATA.child("labels"), errors);
    annotations(meta.getAnnotations(), METADATA.child("annotations"), errors);
    FieldPath finalizers = METADATA.child("finalizers");
    for (int i = 0; meta.getFinalizers() != null && i < meta.getFinalizers().size(); i++) {
      errors.invalid(finalizers.index(i), meta.getFinalizers().get(i), Syntax.qualifiedName(meta.getFinalizers().get(i)));
    }
  }

  /** Label keys are qualified names and values label values; used for selectors' labels too. */
  public static void labels(Map<String, String> labels, FieldPath path, Errors errors) {
    if (labels == null) {
      return;
    }
    labels.forEach((key, value) -> {
      errors.invalid(path, key, Syntax.qualifiedName(key));
      errors.invalid(path, value, Syntax.labelValue(value == null ? "" : value));
    });
  }

  /** Keys are qualified names (case-insensitively); all keys and values together at most 256 KiB. */
  static void annotations(Map<String, String> annotations, FieldPath path, Errors errors) {
    if (annotations == null) {
      return;
    }
    long total = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      errors.invalid(path, e.getKey(), Syntax.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
      total += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      total += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > TOTAL_ANNOTATION_BYTES) {
      errors.tooLong(path, TOTAL_ANNOTATION_BYTES);
    }
  }

  /** What identifies an object never changes: its name, namespace, uid and creation time. */
  public static void validateUpdate(ObjectMeta updated, ObjectMeta old, Errors errors) {
    if (updated == null || old == null) {
      return;
    }
    immutable(METADATA.child("name"), updated.getName(), old.getName(), errors);
    immutable(METADATA.child("namespace"), updated.getNamespace(), old.getNamespace(), errors);
    immutable(METADATA.child("uid"), updated.getUid(), old.getUid(), errors);
    immutable(METADATA.child("creationTimestamp"), updated.getCreationTimestamp(), old.getCreationTimestamp(), errors);
  }

  /** Kubernetes' wording for a changed field that may not change: the new value and "field is immutable". */
  static void immutable(FieldPath path, Object updated, Object old, Errors errors) {
    if (!Objects.equals(updated, old)) {
      errors.invalid(path, updated, "field is immutable");
    }
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
