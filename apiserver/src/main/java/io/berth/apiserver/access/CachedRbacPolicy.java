package io.berth.apiserver.access;

import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.storage.StorageKeys;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * RBAC policy read from this replica's watch caches, as kube-apiserver's RBAC authorizer
 * reads its informers: no store round trip per request, and a change to a role is in
 * force as soon as the cache has it.
 */
public final class CachedRbacPolicy implements RbacPolicy {
  private final WatchCache roles;
  private final WatchCache clusterRoles;
  private final WatchCache roleBindings;
  private final WatchCache clusterRoleBindings;

  public CachedRbacPolicy(ResourceTable table, WatchCaches caches) {
    this.roles = caches.of(type(table, "roles"));
    this.clusterRoles = caches.of(type(table, "clusterroles"));
    this.roleBindings = caches.of(type(table, "rolebindings"));
    this.clusterRoleBindings = caches.of(type(table, "clusterrolebindings"));
  }

  private static ResourceType type(ResourceTable table, String plural) {
    return table.find(ResourceTable.RBAC, "v1", plural)
        .orElseThrow(() -> new IllegalArgumentException("the resource table must serve " + plural));
  }

  @Override
  public List<ClusterRoleBinding> clusterRoleBindings() {
    return all(clusterRoleBindings, null, ClusterRoleBinding.class);
  }

  @Override
  public List<RoleBinding> roleBindings(String namespace) {
    return all(roleBindings, namespace, RoleBinding.class);
  }

  @Override
  public Optional<ClusterRole> clusterRole(String name) {
    return one(clusterRoles, null, name, ClusterRole.class);
  }

  @Override
  public Optional<Role> role(String namespace, String name) {
    return one(roles, namespace, name, Role.class);
  }

  private static <T> List<T> all(WatchCache cache, String namespace, Class<T> kind) {
    return cache.list(StorageKeys.collectionPrefix(cache.type(), namespace)).items().stream()
        .map(o -> kind.cast(o.object())).toList();
  }

  private static <T> Optional<T> one(WatchCache cache, String namespace, String name, Class<T> kind) {
    String key = StorageKeys.objectKey(cache.type(), namespace, name);
    return cache.list(key).items().stream().filter(o -> o.key().equals(key)).map(o -> kind.cast(o.object()))
        .findFirst();
  }
}
