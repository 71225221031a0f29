package io.berth.apiserver.registry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every resource the API server serves. Routing, discovery and storage all read
 * this one table, so adding a resource is adding a row here (plus whatever
 * validation and defaulting it needs).
 */
public final class ResourceTable {
  public static final String RBAC = "rbac.authorization.k8s.io";
  public static final String AUTHORIZATION = "authorization.k8s.io";
  private final Map<String, ResourceType> byGroupVersionPlural = new LinkedHashMap<>();

  public ResourceTable(List<ResourceType> types) {
    for (ResourceType t : types) {
      ResourceType previous = byGroupVersionPlural.put(key(t.group(), t.version(), t.plural()), t);
      if (previous != null) {
        throw new IllegalArgumentException("resource " + t.plural() + " in " + t.apiVersion() + " listed twice");
      }
    }
  }

  /**
   * The resources served, in discovery order within each group version. Subresources are
   * declared here so discovery lists them; they are served by the handlers that know them.
   */
  public static ResourceTable builtIn() {
    List<String> crud = ResourceType.CRUD_VERBS;
    // "all" is the category of the workloads and services `kubectl get all` shows, as in Kubernetes.
    List<String> all = List.of("all");
    return new ResourceTable(List.of(
        new ResourceType("", "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"), crud, Namespace.class),
        new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true, List.of("cm"), crud, ConfigMap.class),
        new ResourceType("", "v1", "Secret", "secrets", "secret", true, List.of(), crud, Secret.class),
        new ResourceType("", "v1", "Pod", "pods", "pod", true, List.of("po"), crud, Pod.class,
            List.of(Subresource.podBinding(), Subresource.podEviction(), Subresource.podLog(),
                Subresource.status("Pod")), all),
        new ResourceType("", "v1", "Service", "services", "service", true, List.of("svc"), crud, Service.class,
            List.of(Subresource.status("Service")), all),
        new ResourceType("", "v1", "Node", "nodes", "node", false, List.of("no"), crud, Node.class,
            List.of(Subresource.status("Node")), List.of()),
        new ResourceType("", "v1", "Endpoints", "endpoints", "endpoints", true, List.of("ep"), crud, Endpoints.class),
        new ResourceType("", "v1", "Event", "events", "event", true, List.of("ev"), crud, Event.class),
        new ResourceType("apps", "v1", "Deployment", "deployments", "deployment", true, List.of("deploy"), crud,
            Deployment.class, List.of(Subresource.scale(), Subresource.status("Deployment")), all),
        new ResourceType("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, List.of("rs"), crud,
            ReplicaSet.class, List.of(Subresource.scale(), Subresource.status("ReplicaSet")), all),
        new ResourceType("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true, List.of("ing"), crud,
            Ingress.class),
        new ResourceType("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", false,
            List.of(), crud, IngressClass.class),
        new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, List.of(), crud,
            Lease.class),
        new ResourceType(RBAC, "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false,
            List.of(), crud, ClusterRoleBinding.class),
        new ResourceType(RBAC, "v1", "ClusterRole", "clusterroles", "clusterrole", false, List.of(), crud,
            ClusterRole.class),
        new ResourceType(RBAC, "v1", "RoleBinding", "rolebindings", "rolebinding", true, List.of(), crud,
            RoleBinding.class),
        new ResourceType(RBAC, "v1", "Role", "roles", "role", true, List.of(), crud, Role.class),
        // Access reviews are asked, not stored: create only, answered by the authorizer (AccessReviews).
        new ResourceType(AUTHORIZATION, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
            "selfsubjectaccessreview", false, List.of(), List.of("create"), SelfSubjectAccessReview.class),
        new ResourceType(AUTHORIZATION, "v1", "SubjectAccessReview", "subjectaccessreviews", "subjectaccessreview",
            false, List.of(), List.of("create"), SubjectAccessReview.class)));
  }

  public Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byGroupVersionPlural.get(key(group, version, plural)));
  }

  /** The resources of one group version, in table order (empty if the version is not served). */
  public List<ResourceType> inGroupVersion(String group, String version) {
    List<ResourceType> result = new ArrayList<>();
    for (ResourceType t : byGroupVersionPlural.values()) {
      if (t.group().equals(group) && t.version().equals(version)) {
        result.add(t);
      }
    }
    return result;
  }

  /** The named groups (not the core group), each with its versions, in table order. */
  public Map<String, Set<String>> namedGroups() {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (ResourceType t : byGroupVersionPlural.values()) {
      if (!t.group().isEmpty()) {
        groups.computeIfAbsent(t.group(), g -> new LinkedHashSet<>()).add(t.version());
      }
    }
    return groups;
  }

  /** The versions of the core group, served under /api. */
  public Set<String> coreVersions() {
    Set<String> versions = new LinkedHashSet<>();
    byGroupVersionPlural.values().stream().filter(t -> t.group().isEmpty()).forEach(t -> versions.add(t.version()));
    return versions;
  }

  public List<ResourceType> all() {
    return List.copyOf(byGroupVersionPlural.values());
  }

  /** The resources whose objects are stored (and watched): every one but the create-only access reviews. */
  public List<ResourceType> stored() {
    return byGroupVersionPlural.values().stream().filter(t -> t.supports("watch")).toList();
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }
}
