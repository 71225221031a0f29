package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Nodes (their taints, which the scheduler matches against tolerations) and Namespaces (their finalizers). */
final class NodeValidation {
  private NodeValidation() {}

  static void node(Node node, Errors errors) {
    List<Taint> taints = node.getSpec() == null ? List.of() : PodSpecValidation.list(node.getSpec().getTaints());
    FieldPath path = FieldPath.root("spec").child("taints");
    // Two taints with the same key and effect would make a toleration's match ambiguous.
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < taints.size(); i++) {
      Taint t = taints.get(i);
      FieldPath p = path.index(i);
      if (MetadataValidation.isEmpty(t.getKey())) {
        errors.required(p.child("key"), "");
      } else {
        errors.invalid(p.child("key"), t.getKey(), Syntax.qualifiedName(t.getKey()));
      }
      if (!MetadataValidation.isEmpty(t.getValue())) {
        errors.invalid(p.child("value"), t.getValue(), Syntax.labelValue(t.getValue()));
      }
      if (MetadataValidation.isEmpty(t.getEffect())) {
        errors.required(p.child("effect"), "");
      } else {
        errors.oneOf(p.child("effect"), t.getEffect(), PodSpecValidation.TAINT_EFFECTS);
      }
      if (!seen.add(t.getKey() + "/" + t.getEffect())) {
        errors.duplicate(p, t.getKey() + ":" + t.getEffect());
      }
    }
  }

  static void namespace(Namespace namespace, Errors errors) {
    List<String> finalizers = namespace.getSpec() == null ? List.of()
        : PodSpecValidation.list(namespace.getSpec().getFinalizers());
    for (int i = 0; i < finalizers.size(); i++) {
      FieldPath p = FieldPath.root("spec").child("finalizers").index(i);
      errors.invalid(p, finalizers.get(i), Syntax.qualifiedName(finalizers.get(i)));
    }
  }
}
