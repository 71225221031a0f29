package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** metav1.LabelSelector: its syntax, and whether a set of labels matches it. */
final class SelectorValidation {
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private SelectorValidation() {}

  static void validate(LabelSelector selector, FieldPath path, Errors errors) {
    MetadataValidation.labels(selector.getMatchLabels(), path.child("matchLabels"), errors);
    List<LabelSelectorRequirement> expressions = PodSpecValidation.list(selector.getMatchExpressions());
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      FieldPath p = path.child("matchExpressions").index(i);
      errors.invalid(p.child("key"), r.getKey(), Syntax.qualifiedName(r.getKey() == null ? "" : r.getKey()));
      if (r.getOperator() == null || !OPERATORS.contains(r.getOperator())) {
        errors.invalid(p.child("operator"), r.getOperator(), "not a valid selector operator");
        continue;
      }
      boolean hasValues = !PodSpecValidation.list(r.getValues()).isEmpty();
      boolean setOperator = r.getOperator().equals("In") || r.getOperator().equals("NotIn");
      if (setOperator && !hasValues) {
        errors.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
      } else if (!setOperator && hasValues) {
        errors.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
      }
    }
  }

  static boolean isEmpty(LabelSelector selector) {
    return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && PodSpecValidation.list(selector.getMatchExpressions()).isEmpty();
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : PodSpecValidation.list(selector.getMatchExpressions())) {
      List<String> values = PodSpecValidation.list(r.getValues());
      boolean ok = switch (r.getOperator()) {
        case "In" -> values.contains(l.get(r.getKey()));
        case "NotIn" -> !values.contains(l.get(r.getKey()));
        case "Exists" -> l.containsKey(r.getKey());
        case "DoesNotExist" -> !l.containsKey(r.getKey());
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
