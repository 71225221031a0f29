package io.berth.apiserver.access;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/** The roles and bindings the {@link RbacAuthorizer} decides by (the watch caches, in the server). */
public interface RbacPolicy {
  List<ClusterRoleBinding> clusterRoleBindings();

  List<RoleBinding> roleBindings(String namespace);

  Optional<ClusterRole> clusterRole(String name);

  Optional<Role> role(String namespace, String name);
}
