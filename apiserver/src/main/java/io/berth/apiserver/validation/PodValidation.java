package io.berth.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.rest.ObjectCodec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/**
 * Pods. Once created, a pod's spec is fixed except for what can change on a running pod
 * without recreating it: container images (the agent restarts the container), a shorter
 * active deadline, added tolerations and the grace period.
 */
final class PodValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  /** What kube-apiserver lists as changeable, so the message points users at it. */
  private static final String CHANGEABLE = "pod updates may not change fields other than `spec.containers[*].image`,"
      + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
      + "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

  private PodValidation() {}

  static void validate(Pod pod, Errors errors) {
    PodSpecValidation.validate(pod.getSpec(), SPEC, PodSpecValidation.RESTART_POLICIES, errors);
  }

  static void validateUpdate(Pod updated, Pod old, Errors errors) {
    PodSpec spec = updated.getSpec();
    PodSpec oldSpec = old.getSpec();
    if (spec == null || oldSpec == null) {
      return;
    }
    Long deadline = spec.getActiveDeadlineSeconds();
    Long oldDeadline = oldSpec.getActiveDeadlineSeconds();
    if (oldDeadline != null && deadline == null) {
      errors.invalid(SPEC.child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value");
    } else if (oldDeadline != null && deadline > oldDeadline) {
      errors.invalid(SPEC.child("activeDeadlineSeconds"), deadline, "must be less than or equal to previous value");
    }
    List<Toleration> tolerations = PodSpecValidation.list(spec.getTolerations()).stream()
        .map(PodValidation::withoutSeconds).toList();
    for (Toleration kept : PodSpecValidation.list(oldSpec.getTolerations())) {
      if (!tolerations.contains(withoutSeconds(kept))) {
        errors.forbidden(SPEC.child("tolerations"), "existing toleration can not be modified except its tolerationSeconds");
        break;
      }
    }
    if (!withoutChangeableFields(spec).equals(withoutChangeableFields(oldSpec))) {
      errors.forbidden(SPEC, CHANGEABLE);
    }
  }

  private static Toleration withoutSeconds(Toleration t) {
    return new Toleration(t.getEffect(), t.getKey(), t.getOperator(), null, t.getValue());
  }

  /** The spec as JSON with the changeable fields taken out, so what remains must be equal. */
  private static JsonNode withoutChangeableFields(PodSpec spec) {
    ObjectNode tree = (ObjectNode) ObjectCodec.toTree(spec);
    for (String field : List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds")) {
      tree.remove(field);
    }
    for (String containers : List.of("containers", "initContainers")) {
      if (tree.get(containers) instanceof ArrayNode list) {
        list.forEach(c -> ((ObjectNode) c).remove("image"));
      }
    }
    return tree;
  }
}
