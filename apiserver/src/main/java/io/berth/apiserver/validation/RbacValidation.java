package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Roles and bindings, as Kubernetes' rbac validation checks them: every rule names its
 * verbs and either resources (with API groups) or non-resource URLs (cluster roles only);
 * a binding refers to a role by apiGroup, kind and name, never changes that reference,
 * and names each subject properly.
 */
final class RbacValidation {
  static final String GROUP = "rbac.authorization.k8s.io";
  private static final FieldPath RULES = FieldPath.root("rules");
  private static final FieldPath ROLE_REF = FieldPath.root("roleRef");
  private static final FieldPath SUBJECTS = FieldPath.root("subjects");

  private RbacValidation() {}

  static void role(Role role, Errors errors) {
    rules(role.getRules(), true, errors);
  }

  static void clusterRole(ClusterRole role, Errors errors) {
    rules(role.getRules(), false, errors);
  }

  static void roleBinding(RoleBinding binding, Errors errors) {
    roleRef(binding.getRoleRef(), Set.of("Role", "ClusterRole"), errors);
    subjects(binding.getSubjects(), true, errors);
  }

  static void clusterRoleBinding(ClusterRoleBinding binding, Errors errors) {
    roleRef(binding.getRoleRef(), Set.of("ClusterRole"), errors);
    subjects(binding.getSubjects(), false, errors);
  }

  static void roleBindingUpdate(RoleBinding updated, RoleBinding old, Errors errors) {
    roleRefUnchanged(updated.getRoleRef(), old.getRoleRef(), errors);
  }

  static void clusterRoleBindingUpdate(ClusterRoleBinding updated, ClusterRoleBinding old, Errors errors) {
    roleRefUnchanged(updated.getRoleRef(), old.getRoleRef(), errors);
  }

  private static void rules(List<PolicyRule> rules, boolean namespaced, Errors errors) {
    if (rules == null) {
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      rule(rules.get(i), namespaced, RULES.index(i), errors);
    }
  }

  private static void rule(PolicyRule rule, boolean namespaced, FieldPath at, Errors errors) {
    if (isEmpty(rule.getVerbs())) {
      errors.required(at.child("verbs"), "verbs must contain at least one value");
    }
    if (!isEmpty(rule.getNonResourceURLs())) {
      if (namespaced) {
        errors.invalid(at.child("nonResourceURLs"), rule.getNonResourceURLs(),
            "namespaced rules cannot apply to non-resource URLs");
      }
      if (!isEmpty(rule.getApiGroups()) || !isEmpty(rule.getResources())) {
        errors.invalid(at.child("nonResourceURLs"), rule.getNonResourceURLs(),
            "rules cannot apply to both regular resources and non-resource URLs");
      }
      return;
    }
    if (isEmpty(rule.getApiGroups())) {
      errors.required(at.child("apiGroups"), "resource rules must supply at least one api group");
    }
    if (isEmpty(rule.getResources())) {
      errors.required(at.child("resources"), "resource rules must supply at least one resource");
    }
  }

  private static void roleRef(RoleRef ref, Set<String> kinds, Errors errors) {
    if (ref == null) {
      errors.required(ROLE_REF.child("name"), "");
      return;
    }
    if (!GROUP.equals(ref.getApiGroup())) {
      errors.notSupported(ROLE_REF.child("apiGroup"), ref.getApiGroup(), List.of(GROUP));
    }
    if (!kinds.contains(Objects.requireNonNullElse(ref.getKind(), ""))) {
      errors.notSupported(ROLE_REF.child("kind"), ref.getKind(), kinds);
    }
    if (MetadataValidation.isEmpty(ref.getName())) {
      errors.required(ROLE_REF.child("name"), "");
    }
  }

  private static void roleRefUnchanged(RoleRef updated, RoleRef old, Errors errors) {
    if (!Objects.equals(updated, old)) {
      errors.invalid(ROLE_REF, updated, "cannot change roleRef");
    }
  }

  private static void subjects(List<Subject> subjects, boolean namespacedBinding, Errors errors) {
    if (subjects == null) {
      return;
    }
    for (int i = 0; i < subjects.size(); i++) {
      Subject s = subjects.get(i);
      FieldPath at = SUBJECTS.index(i);
      if (MetadataValidation.isEmpty(s.getName())) {
        errors.required(at.child("name"), "");
      }
      String kind = Objects.requireNonNullElse(s.getKind(), "");
      switch (kind) {
        case "ServiceAccount" -> {
          if (!MetadataValidation.isEmpty(s.getApiGroup())) {
            errors.notSupported(at.child("apiGroup"), s.getApiGroup(), List.of(""));
          }
          if (!namespacedBinding && MetadataValidation.isEmpty(s.getNamespace())) {
            errors.required(at.child("namespace"), "");
          }
        }
        case "User", "Group" -> {
          if (!GROUP.equals(s.getApiGroup())) {
            errors.notSupported(at.child("apiGroup"), s.getApiGroup(), List.of(GROUP));
          }
        }
        default -> errors.notSupported(at.child("kind"), kind, List.of("ServiceAccount", "User", "Group"));
      }
    }
  }

  private static boolean isEmpty(List<String> values) {
    return values == null || values.isEmpty();
  }
}
