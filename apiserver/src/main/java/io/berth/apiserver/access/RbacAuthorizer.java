package io.berth.apiserver.access;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes' RBAC authorizer: a request is allowed when a ClusterRoleBinding, or a
 * RoleBinding in the request's namespace, binds one of the user's identities (its name,
 * a group, its service account) to a role with a rule that covers the request. Rules
 * only ever grant; anything not granted is refused (with no reason, as Kubernetes does).
 */
public final class RbacAuthorizer implements Authorizer {
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  private final RbacPolicy policy;

  public RbacAuthorizer(RbacPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Decision authorize(RequestAttributes request) {
    for (ClusterRoleBinding binding : policy.clusterRoleBindings()) {
      Optional<Subject> subject = matchingSubject(binding.getSubjects(), request.user(), null);
      if (subject.isPresent() && grants(rulesOf(binding.getRoleRef(), null), request)) {
        return allowedBy("ClusterRoleBinding \"" + binding.getMetadata().getName() + "\"", binding.getRoleRef(),
            subject.get());
      }
    }
    String namespace = namespaceOf(request);
    if (namespace == null) {
      return Decision.deny("");
    }
    for (RoleBinding binding : policy.roleBindings(namespace)) {
      Optional<Subject> subject = matchingSubject(binding.getSubjects(), request.user(), namespace);
      if (subject.isPresent() && grants(rulesOf(binding.getRoleRef(), namespace), request)) {
        return allowedBy("RoleBinding \"" + binding.getMetadata().getName() + "/" + namespace + "\"",
            binding.getRoleRef(), subject.get());
      }
    }
    return Decision.deny("");
  }

  /**
   * Every rule the user holds where {@code namespace} is (null: cluster-wide only): what
   * a user may pass on to others (see {@link RbacEscalationCheck}).
   */
  List<PolicyRule> rulesFor(UserInfo user, String namespace) {
    List<PolicyRule> rules = new java.util.ArrayList<>();
    for (ClusterRoleBinding binding : policy.clusterRoleBindings()) {
      if (matchingSubject(binding.getSubjects(), user, null).isPresent()) {
        rules.addAll(rulesOf(binding.getRoleRef(), null));
      }
    }
    if (namespace != null) {
      for (RoleBinding binding : policy.roleBindings(namespace)) {
        if (matchingSubject(binding.getSubjects(), user, namespace).isPresent()) {
          rules.addAll(rulesOf(binding.getRoleRef(), namespace));
        }
      }
    }
    return rules;
  }

  /** The rules of the role a binding in {@code bindingNamespace} (null: a ClusterRoleBinding) refers to. */
  List<PolicyRule> rulesOf(RoleRef ref, String bindingNamespace) {
    if (ref == null) {
      return List.of();
    }
    if ("ClusterRole".equals(ref.getKind())) {
      return orEmpty(policy.clusterRole(ref.getName()).map(ClusterRole::getRules).orElse(List.of()));
    }
    if ("Role".equals(ref.getKind()) && bindingNamespace != null) {
      return orEmpty(policy.role(bindingNamespace, ref.getName()).map(Role::getRules).orElse(List.of()));
    }
    return List.of();
  }

  private static List<PolicyRule> orEmpty(List<PolicyRule> rules) {
    return rules == null ? List.of() : rules;
  }

  /** A namespace is a request's namespace to itself: a RoleBinding in "a" may grant get on namespace "a". */
  private static String namespaceOf(RequestAttributes request) {
    if (request.namespace() == null && "namespaces".equals(request.resource()) && request.apiGroup().isEmpty()) {
      return request.name();
    }
    return request.namespace();
  }

  private static Decision allowedBy(String binding, RoleRef role, Subject subject) {
    return new Decision(true, "RBAC: allowed by " + binding + " of " + role.getKind() + " \"" + role.getName()
        + "\" to " + subject.getKind() + " \"" + subject.getName() + "\"");
  }

  static Optional<Subject> matchingSubject(List<Subject> subjects, UserInfo user, String bindingNamespace) {
    if (subjects == null) {
      return Optional.empty();
    }
    return subjects.stream().filter(s -> applies(s, user, bindingNamespace)).findFirst();
  }

  private static boolean applies(Subject subject, UserInfo user, String bindingNamespace) {
    String name = subject.getName();
    if (name == null || subject.getKind() == null) {
      return false;
    }
    return switch (subject.getKind()) {
      case "User" -> name.equals(user.name());
      case "Group" -> user.groups().contains(name);
      case "ServiceAccount" -> {
        String namespace = subject.getNamespace() == null || subject.getNamespace().isEmpty()
            ? bindingNamespace : subject.getNamespace();
        yield namespace != null && user.name().equals(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name);
      }
      default -> false;
    };
  }

  static boolean grants(List<PolicyRule> rules, RequestAttributes request) {
    if (rules == null) {
      return false;
    }
    return rules.stream().anyMatch(rule -> covers(rule, request));
  }

  static boolean covers(PolicyRule rule, RequestAttributes request) {
    if (!matches(rule.getVerbs(), request.verb())) {
      return false;
    }
    if (!request.isResourceRequest()) {
      return nonResourceUrlMatches(rule.getNonResourceURLs(), request.path());
    }
    return matches(rule.getApiGroups(), request.apiGroup())
        && resourceMatches(rule.getResources(), request.resource(), request.subresource())
        && nameMatches(rule.getResourceNames(), request.name());
  }

  private static boolean matches(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }

  /** "pods", "pods/status", "*", or "*&#47;status" for that subresource of anything. */
  private static boolean resourceMatches(List<String> allowed, String resource, String subresource) {
    if (allowed == null) {
      return false;
    }
    String combined = subresource == null ? resource : resource + "/" + subresource;
    for (String rule : allowed) {
      if (rule.equals("*") || rule.equals(combined)) {
        return true;
      }
      if (subresource != null && rule.equals("*/" + subresource)) {
        return true;
      }
    }
    return false;
  }

  /** No names: every object; otherwise only the ones named (never a collection). */
  private static boolean nameMatches(List<String> names, String name) {
    return names == null || names.isEmpty() || (name != null && names.contains(name));
  }

  /** "/healthz", or "/apis/*" for everything under /apis/. */
  private static boolean nonResourceUrlMatches(List<String> urls, String path) {
    if (urls == null) {
      return false;
    }
    for (String url : urls) {
      if (url.equals("*") || url.equals(path)) {
        return true;
      }
      if (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
