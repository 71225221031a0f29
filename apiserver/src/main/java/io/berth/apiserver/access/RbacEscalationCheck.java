package io.berth.apiserver.access;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.RequestBodies;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Kubernetes' RBAC escalation prevention: a user may write a Role or ClusterRole only with
 * rules it holds itself (or with the "escalate" verb on it), and a binding only to a role whose
 * rules it holds where the binding applies (or with the "bind" verb on that role). Without it,
 * anyone allowed to create RoleBindings could bind cluster-admin. A patch of a role or binding
 * is not re-checked after the patch is applied: it needs "escalate" or "bind" outright.
 */
public final class RbacEscalationCheck {
  private static final Set<String> KINDS = Set.of("roles", "clusterroles", "rolebindings", "clusterrolebindings");

  private final RbacAuthorizer rbac;
  private final Authorizer authorizer;

  public RbacEscalationCheck(RbacAuthorizer rbac, Authorizer authorizer) {
    this.rbac = rbac;
    this.authorizer = authorizer;
  }

  /** @throws ApiException 403 when the request would grant what its user does not hold */
  public void admit(RequestAttributes r, ApiRequest request) {
    if (!r.apiGroup().equals(ResourceTable.RBAC) || !KINDS.contains(r.resource()) || r.subresource() != null
        || !Set.of("create", "update", "patch").contains(r.verb())) {
      return;
    }
    boolean binding = r.resource().endsWith("bindings");
    if (r.verb().equals("patch")) {
      if (binding ? !mayBindAnything(r) : !mayEscalate(r)) {
        throw refused(r, "may not patch RBAC " + r.resource() + " without the \"" + (binding ? "bind" : "escalate")
            + "\" verb; send the whole object instead");
      }
      return;
    }
    byte[] body = RequestBodies.asJson(request.contentType(), request.body());
    try {
      switch (r.resource()) {
        case "roles" -> checkRules(r, ObjectCodec.JSON.readValue(body, Role.class).getRules());
        case "clusterroles" -> checkRules(r, ObjectCodec.JSON.readValue(body, ClusterRole.class).getRules());
        case "rolebindings" -> checkBinding(r, ObjectCodec.JSON.readValue(body, RoleBinding.class).getRoleRef());
        default -> checkBinding(r, ObjectCodec.JSON.readValue(body, ClusterRoleBinding.class).getRoleRef());
      }
    } catch (IOException e) {
      // A malformed body: the handler answers it, with its own words.
    }
  }

  private void checkRules(RequestAttributes r, List<PolicyRule> rules) {
    if (rules == null || rules.isEmpty() || mayEscalate(r)) {
      return;
    }
    List<PolicyRule> missing = notHeld(r.user(), rules, r.namespace());
    if (!missing.isEmpty()) {
      throw refused(r, notHeldMessage(r.user(), missing));
    }
  }

  private void checkBinding(RequestAttributes r, RoleRef ref) {
    if (ref == null || ref.getName() == null) {
      return; // validation refuses it
    }
    String rolePlural = "Role".equals(ref.getKind()) ? "roles" : "clusterroles";
    String roleNamespace = rolePlural.equals("roles") ? r.namespace() : null;
    if (authorizer.authorize(new RequestAttributes(r.user(), "bind", ResourceTable.RBAC, rolePlural, null,
        roleNamespace, ref.getName())).allowed()) {
      return;
    }
    List<PolicyRule> missing = notHeld(r.user(), rbac.rulesOf(ref, r.namespace()), r.namespace());
    if (!missing.isEmpty()) {
      throw refused(r, notHeldMessage(r.user(), missing));
    }
  }

  private boolean mayEscalate(RequestAttributes r) {
    return authorizer.authorize(new RequestAttributes(r.user(), "escalate", r.apiGroup(), r.resource(), null,
        r.namespace(), r.name())).allowed();
  }

  private boolean mayBindAnything(RequestAttributes r) {
    return authorizer.authorize(new RequestAttributes(r.user(), "bind", ResourceTable.RBAC,
        r.resource().equals("rolebindings") ? "roles" : "clusterroles", null, r.namespace(), null)).allowed();
  }

  /** The rules of {@code wanted} with some verb, resource or URL the user does not hold where it applies. */
  private List<PolicyRule> notHeld(UserInfo user, List<PolicyRule> wanted, String namespace) {
    List<PolicyRule> held = rbac.rulesFor(user, namespace);
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule rule : wanted) {
      if (!atomsOf(user, rule, namespace).stream().allMatch(atom -> RbacAuthorizer.grants(held, atom))) {
        missing.add(rule);
      }
    }
    return missing;
  }

  /** One request per verb and resource (and name, and URL) a rule names: what holding it means. */
  private static List<RequestAttributes> atomsOf(UserInfo user, PolicyRule rule, String namespace) {
    List<RequestAttributes> atoms = new ArrayList<>();
    for (String verb : orEmpty(rule.getVerbs())) {
      for (String url : orEmpty(rule.getNonResourceURLs())) {
        atoms.add(RequestAttributes.nonResource(user, verb, url));
      }
      for (String group : orEmpty(rule.getApiGroups())) {
        for (String resource : orEmpty(rule.getResources())) {
          String[] parts = resource.split("/", 2);
          List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? java.util.Collections.singletonList(null) : rule.getResourceNames();
          for (String name : names) {
            atoms.add(new RequestAttributes(user, verb, group, parts[0], parts.length == 2 ? parts[1] : null,
                namespace, name));
          }
        }
      }
    }
    return atoms;
  }

  private static String notHeldMessage(UserInfo user, List<PolicyRule> missing) {
    StringBuilder message = new StringBuilder("user \"" + user.name() + "\" (groups=" + quoted(user.groups())
        + ") is attempting to grant RBAC permissions not currently held:");
    for (PolicyRule rule : missing) {
      message.append("\n{");
      List<String> parts = new ArrayList<>();
      if (!orEmpty(rule.getApiGroups()).isEmpty()) {
        parts.add("APIGroups:" + quoted(rule.getApiGroups()));
      }
      if (!orEmpty(rule.getResources()).isEmpty()) {
        parts.add("Resources:" + quoted(rule.getResources()));
      }
      if (!orEmpty(rule.getResourceNames()).isEmpty()) {
        parts.add("ResourceNames:" + quoted(rule.getResourceNames()));
      }
      if (!orEmpty(rule.getNonResourceURLs()).isEmpty()) {
        parts.add("NonResourceURLs:" + quoted(rule.getNonResourceURLs()));
      }
      parts.add("Verbs:" + quoted(rule.getVerbs()));
      message.append(String.join(", ", parts)).append('}');
    }
    return message.toString();
  }

  private static ApiException refused(RequestAttributes r, String why) {
    String what = r.resource() + "." + r.apiGroup() + (r.name() == null ? "" : " \"" + r.name() + "\"");
    return new ApiException(403, "Forbidden", what + " is forbidden: " + why, r.name(), r.apiGroup(), r.resource());
  }

  private static String quoted(List<String> values) {
    return "[" + String.join(" ", orEmpty(values).stream().map(v -> "\"" + v + "\"").toList()) + "]";
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}
