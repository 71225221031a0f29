package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import java.util.Map;
import java.util.Set;

/**
 * Deployments and ReplicaSets: a replica count, a selector that picks out the pods the
 * template makes, and for Deployments a rollout strategy. The selector is fixed at
 * creation: changing it would orphan the pods already running.
 */
final class WorkloadValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final Set<String> STRATEGIES = Set.of("Recreate", "RollingUpdate");

  private WorkloadValidation() {}

  static void deployment(Deployment deployment, Errors errors) {
    DeploymentSpec spec = deployment.getSpec();
    if (spec == null) {
      errors.required(SPEC, "");
      return;
    }
    common(spec.getReplicas(), spec.getSelector(), spec.getTemplate(), "deployment", errors);
    errors.atLeast(SPEC.child("minReadySeconds"), spec.getMinReadySeconds(), 0);
    errors.atLeast(SPEC.child("revisionHistoryLimit"), spec.getRevisionHistoryLimit(), 0);
    Integer deadline = spec.getProgressDeadlineSeconds();
    int minReady = spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds();
    if (deadline != null && deadline <= minReady) {
      errors.invalid(SPEC.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
    }
    strategy(spec.getStrategy(), SPEC.child("strategy"), errors);
  }

  static void replicaSet(ReplicaSet replicaSet, Errors errors) {
    ReplicaSetSpec spec = replicaSet.getSpec();
    if (spec == null) {
      errors.required(SPEC, "");
      return;
    }
    common(spec.getReplicas(), spec.getSelector(), spec.getTemplate(), "replicaset", errors);
    errors.atLeast(SPEC.child("minReadySeconds"), spec.getMinReadySeconds(), 0);
  }

  static void deploymentUpdate(Deployment updated, Deployment old, Errors errors) {
    if (updated.getSpec() != null && old.getSpec() != null) {
      MetadataValidation.immutable(SPEC.child("selector"), updated.getSpec().getSelector(), old.getSpec().getSelector(),
          errors);
    }
  }

  static void replicaSetUpdate(ReplicaSet updated, ReplicaSet old, Errors errors) {
    if (updated.getSpec() != null && old.getSpec() != null) {
      MetadataValidation.immutable(SPEC.child("selector"), updated.getSpec().getSelector(), old.getSpec().getSelector(),
          errors);
    }
  }

  /** The selector must select the template's own pods, or the controller would create pods forever. */
  private static void common(Integer replicas, LabelSelector selector, PodTemplateSpec template, String what,
      Errors errors) {
    errors.atLeast(SPEC.child("replicas"), replicas, 0);
    FieldPath selectorPath = SPEC.child("selector");
    if (selector == null) {
      errors.required(selectorPath, "");
    } else if (SelectorValidation.isEmpty(selector)) {
      errors.invalid(selectorPath, selector, "empty selector is invalid for " + what);
    } else {
      SelectorValidation.validate(selector, selectorPath, errors);
    }
    FieldPath templatePath = SPEC.child("template");
    if (template == null) {
      errors.required(templatePath, "");
      return;
    }
    Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
    MetadataValidation.labels(labels, templatePath.child("metadata").child("labels"), errors);
    if (selector != null && !SelectorValidation.isEmpty(selector) && !SelectorValidation.matches(selector, labels)) {
      errors.invalid(templatePath.child("metadata").child("labels"), labels == null ? Map.of() : labels,
          "`selector` does not match template `labels`");
    }
    PodSpecValidation.validate(template.getSpec(), templatePath.child("spec"), Set.of("Always"), errors);
  }

  private static void strategy(DeploymentStrategy strategy, FieldPath path, Errors errors) {
    if (strategy == null) {
      return;
    }
    errors.oneOf(path.child("type"), strategy.getType(), STRATEGIES);
    if ("Recreate".equals(strategy.getType()) && strategy.getRollingUpdate() != null) {
      errors.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
      return;
    }
    if (strategy.getRollingUpdate() == null) {
      return;
    }
    FieldPath rolling = path.child("rollingUpdate");
    IntOrString surge = strategy.getRollingUpdate().getMaxSurge();
    IntOrString unavailable = strategy.getRollingUpdate().getMaxUnavailable();
    boolean surgeValid = intOrPercent(surge, rolling.child("maxSurge"), errors);
    boolean unavailableValid = intOrPercent(unavailable, rolling.child("maxUnavailable"), errors);
    if (unavailableValid && percentOf(unavailable) > 100) {
      errors.invalid(rolling.child("maxUnavailable"), unavailable.getStrVal(), "must not be greater than 100%");
    }
    // Neither surging nor making room would leave a rollout with no way to move.
    if (surgeValid && unavailableValid && isZero(surge) && isZero(unavailable)) {
      errors.invalid(rolling.child("maxUnavailable"), valueOf(unavailable), "may not be 0 when `maxSurge` is 0");
    }
  }

  /** A non-negative count or a non-negative percentage; false when it is neither. */
  private static boolean intOrPercent(IntOrString value, FieldPath path, Errors errors) {
    if (value == null) {
      return true;
    }
    if (value.getIntVal() != null) {
      errors.atLeast(path, value.getIntVal(), 0);
      return value.getIntVal() >= 0;
    }
    String s = value.getStrVal() == null ? "" : value.getStrVal();
    if (!s.matches("[0-9]+%")) {
      errors.invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' "
          + "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
      return false;
    }
    return true;
  }

  private static int percentOf(IntOrString value) {
    return value == null || value.getStrVal() == null ? 0 : Integer.parseInt(value.getStrVal().replace("%", ""));
  }

  private static boolean isZero(IntOrString value) {
    return value != null && (value.getIntVal() != null ? value.getIntVal() == 0 : percentOf(value) == 0);
  }

  private static Object valueOf(IntOrString value) {
    return value.getIntVal() != null ? value.getIntVal() : value.getStrVal();
  }
}
