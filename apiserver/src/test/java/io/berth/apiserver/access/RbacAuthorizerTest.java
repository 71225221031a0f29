package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RbacAuthorizerTest {
  private static final String RBAC = "rbac.authorization.k8s.io";
  private static final UserInfo ALICE = new UserInfo("alice", List.of("devs", "system:authenticated"));
  private static final UserInfo ROBOT = new UserInfo("system:serviceaccount:team:robot", List.of());

  private final Map<String, ClusterRole> clusterRoles = Map.of(
      "status-writer", clusterRole("status-writer", new PolicyRuleBuilder().withApiGroups("*")
          .withResources("*/status").withVerbs("update").build()),
      "health", clusterRole("health", new PolicyRuleBuilder().withNonResourceURLs("/healthz", "/apis/*")
          .withVerbs("get").build()));
  private final Role podReader = role("team", "pod-reader", new PolicyRuleBuilder().withApiGroups("")
      .withResources("pods", "pods/log").withVerbs("get", "list").build(),
      new PolicyRuleBuilder().withApiGroups("").withResources("configmaps").withResourceNames("app-config")
          .withVerbs("get").build());

  private final RbacAuthorizer authorizer = new RbacAuthorizer(new RbacPolicy() {
    @Override
    public List<ClusterRoleBinding> clusterRoleBindings() {
      ClusterRoleBinding b = new ClusterRoleBinding();
      b.setMetadata(new ObjectMetaBuilder().withName("devs-write-status").build());
      b.setRoleRef(new RoleRef(RBAC, "ClusterRole", "status-writer"));
      b.setSubjects(List.of(new Subject(RBAC, "Group", "devs", null)));
      ClusterRoleBinding health = new ClusterRoleBinding();
      health.setMetadata(new ObjectMetaBuilder().withName("health").build());
      health.setRoleRef(new RoleRef(RBAC, "ClusterRole", "health"));
      health.setSubjects(List.of(new Subject(RBAC, "Group", "system:authenticated", null)));
      return List.of(b, health);
    }

    @Override
    public List<RoleBinding> roleBindings(String namespace) {
      if (!namespace.equals("team")) {
        return List.of();
      }
      RoleBinding b = new RoleBinding();
      b.setMetadata(new ObjectMetaBuilder().withName("readers").withNamespace("team").build());
      b.setRoleRef(new RoleRef(RBAC, "Role", "pod-reader"));
      b.setSubjects(List.of(new Subject(RBAC, "User", "alice", null), new Subject("", "ServiceAccount", "robot", null)));
      return List.of(b);
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
      return Optional.ofNullable(clusterRoles.get(name));
    }

    @Override
    public Optional<Role> role(String namespace, String name) {
      return namespace.equals("team") && name.equals("pod-reader") ? Optional.of(podReader) : Optional.empty();
    }
  });

  @Test
  void aRoleBindingGrantsItsRoleInItsNamespaceOnly() {
    assertThat(allowed(ALICE, "list", "", "pods", null, "team", null)).isTrue();
    assertThat(allowed(ALICE, "get", "", "pods", "log", "team", "web")).isTrue();
    assertThat(allowed(ALICE, "list", "", "pods", null, "other", null)).isFalse();
    assertThat(allowed(ALICE, "list", "", "pods", null, null, null)).isFalse();
    assertThat(allowed(ALICE, "delete", "", "pods", null, "team", "web")).isFalse();
    assertThat(allowed(ALICE, "get", "", "pods", "status", "team", "web")).isFalse();
  }

  @Test
  void serviceAccountSubjectsDefaultToTheBindingsNamespace() {
    assertThat(allowed(ROBOT, "get", "", "pods", null, "team", "web")).isTrue();
    assertThat(allowed(new UserInfo("system:serviceaccount:other:robot", List.of()), "get", "", "pods", null, "team",
        "web")).isFalse();
  }

  @Test
  void resourceNamesLimitARuleToTheObjectsNamed() {
    assertThat(allowed(ALICE, "get", "", "configmaps", null, "team", "app-config")).isTrue();
    assertThat(allowed(ALICE, "get", "", "configmaps", null, "team", "other")).isFalse();
  }

  @Test
  void aWildcardSubresourceMatchesThatSubresourceOfAnyResource() {
    assertThat(allowed(ALICE, "update", "apps", "deployments", "status", "x", "d")).isTrue();
    assertThat(allowed(ALICE, "update", "apps", "deployments", null, "x", "d")).isFalse();
    assertThat(allowed(new UserInfo("bob", List.of()), "update", "apps", "deployments", "status", "x", "d")).isFalse();
  }

  @Test
  void nonResourceUrlsMatchExactlyOrByPrefixWithAStar() {
    assertThat(authorizer.authorize(RequestAttributes.nonResource(ALICE, "get", "/healthz")).allowed()).isTrue();
    assertThat(authorizer.authorize(RequestAttributes.nonResource(ALICE, "get", "/apis/apps/v1")).allowed()).isTrue();
    assertThat(authorizer.authorize(RequestAttributes.nonResource(ALICE, "get", "/api")).allowed()).isFalse();
    assertThat(authorizer.authorize(RequestAttributes.nonResource(ALICE, "post", "/healthz")).allowed()).isFalse();
  }

  @Test
  void anAllowedRequestSaysWhichBindingAllowedIt() {
    assertThat(authorizer.authorize(new RequestAttributes(ALICE, "list", "", "pods", null, "team", null)).reason())
        .isEqualTo("RBAC: allowed by RoleBinding \"readers/team\" of Role \"pod-reader\" to User \"alice\"");
  }

  private boolean allowed(UserInfo user, String verb, String group, String resource, String subresource,
      String namespace, String name) {
    return authorizer.authorize(new RequestAttributes(user, verb, group, resource, subresource, namespace, name))
        .allowed();
  }

  private static ClusterRole clusterRole(String name, PolicyRule... rules) {
    ClusterRole role = new ClusterRole();
    role.setMetadata(new ObjectMetaBuilder().withName(name).build());
    role.setRules(List.of(rules));
    return role;
  }

  private static Role role(String namespace, String name, PolicyRule... rules) {
    Role role = new Role();
    role.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    role.setRules(List.of(rules));
    return role;
  }
}
