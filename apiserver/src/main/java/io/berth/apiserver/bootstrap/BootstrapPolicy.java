package io.berth.apiserver.bootstrap;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ResourceHandler;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The built-in ClusterRoles and ClusterRoleBindings, created on first start as
 * kube-apiserver's bootstrap policy creates them (labelled
 * {@code kubernetes.io/bootstrapping=rbac-defaults}), cut to the resources Berth serves,
 * plus the role of Berth's ingress. Each is created only if absent, so an administrator's
 * change to one survives restarts.
 *
 * <p>Who is bound to what: group system:masters to cluster-admin; system:authenticated to
 * system:basic-user (access reviews), system:discovery and system:public-info-viewer
 * (unauthenticated callers too); user system:kube-scheduler and
 * system:kube-controller-manager to their roles; user {@value #INGRESS_USER} and group
 * {@value #INGRESS_GROUP} to system:berth-ingress. system:node exists but is bound to no one,
 * as in Kubernetes: agents (system:node:NAME in system:nodes) are authorized by the Node
 * authorizer. admin, edit and view are for RoleBindings an administrator makes.
 * {@value #DASHBOARD_ROLE} (what the /ui dashboard reads) is bound to group
 * {@value #DASHBOARD_GROUP} and to ServiceAccount kube-system/{@value #DASHBOARD_ACCOUNT}
 * (Berth keeps no ServiceAccount objects: a TokenRequest names the account), so that
 * {@code kubectl -n kube-system create token berth-dashboard} mints a dashboard login.
 */
public final class BootstrapPolicy {
  public static final String INGRESS_USER = "system:berth-ingress";
  public static final String INGRESS_GROUP = "system:berth-ingresses";
  /** The read-only role of the dashboard at /ui. */
  public static final String DASHBOARD_ROLE = "berth:dashboard-viewer";
  public static final String DASHBOARD_GROUP = "berth:dashboard-viewers";
  public static final String DASHBOARD_ACCOUNT = "berth-dashboard";
  private static final Map<String, String> LABELS = Map.of("kubernetes.io/bootstrapping", "rbac-defaults");
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
  private static final List<String> ALL = List.of("*");
  private static final String CORE = "";
  private static final String APPS = "apps";
  private static final String NETWORKING = "networking.k8s.io";
  private static final String COORDINATION = "coordination.k8s.io";

  private final CreateIfAbsent creator;
  private final ResourceType clusterRoles;
  private final ResourceType clusterRoleBindings;

  public BootstrapPolicy(ResourceHandler resources, ResourceTable table, ScheduledExecutorService scheduler) {
    this.creator = new CreateIfAbsent(resources, scheduler);
    this.clusterRoles = table.find(ResourceTable.RBAC, "v1", "clusterroles").orElseThrow();
    this.clusterRoleBindings = table.find(ResourceTable.RBAC, "v1", "clusterrolebindings").orElseThrow();
  }

  /** Completes once every built-in role and binding exists. */
  public CompletableFuture<Void> ensure() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    roles().forEach((name, rules) -> all.add(creator.ensure(clusterRoles, null, () -> clusterRole(name, rules))));
    for (int i = 0; i < bindings().size(); i++) {
      int index = i;
      all.add(creator.ensure(clusterRoleBindings, null, () -> bindings().get(index)));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** Every built-in ClusterRole by name. */
  public static Map<String, List<PolicyRule>> roles() {
    List<PolicyRule> view = List.of(
        rule(CORE, List.of("configmaps", "endpoints", "pods", "pods/log", "pods/status", "services",
            "services/status", "events", "namespaces", "namespaces/status"), READ),
        rule(APPS, List.of("deployments", "deployments/scale", "deployments/status", "replicasets",
            "replicasets/scale", "replicasets/status"), READ),
        rule(NETWORKING, List.of("ingresses", "ingresses/status"), READ));
    List<PolicyRule> edit = new ArrayList<>(view);
    edit.add(rule(CORE, List.of("secrets"), READ));
    edit.add(rule(CORE, List.of("configmaps", "endpoints", "pods", "secrets", "services"), WRITE));
    edit.add(rule(CORE, List.of("pods/eviction"), List.of("create")));
    edit.add(rule(APPS, List.of("deployments", "deployments/scale", "replicasets", "replicasets/scale"), WRITE));
    edit.add(rule(NETWORKING, List.of("ingresses"), WRITE));
    List<PolicyRule> admin = new ArrayList<>(edit);
    admin.add(rule(ResourceTable.RBAC, List.of("roles", "rolebindings"), concat(READ, WRITE)));
    admin.add(rule(ResourceTable.AUTHORIZATION, List.of("localsubjectaccessreviews"), List.of("create")));
    return Map.ofEntries(
        Map.entry("cluster-admin", List.of(rule("*", List.of("*"), ALL), nonResource(List.of("*"), ALL))),
        Map.entry("admin", admin),
        Map.entry("edit", edit),
        Map.entry("view", view),
        Map.entry(DASHBOARD_ROLE, dashboardViewer(view)),
        // As in Kubernetes 1.28+: everyone may ask who they are (kubectl auth whoami) and what they may do.
        Map.entry("system:basic-user", List.of(rule(ResourceTable.AUTHORIZATION,
            List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"), List.of("create")),
            rule("authentication.k8s.io", List.of("selfsubjectreviews"), List.of("create")))),
        Map.entry("system:discovery", List.of(nonResource(List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz",
            "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"), List.of("get")))),
        Map.entry("system:public-info-viewer", List.of(nonResource(List.of("/healthz", "/livez", "/readyz",
            "/version", "/version/"), List.of("get")))),
        // What Berth's scheduler does: read pods and nodes, bind pods, report events.
        Map.entry("system:kube-scheduler", List.of(
            rule(CORE, List.of("pods", "nodes", "namespaces", "services"), READ),
            rule(CORE, List.of("pods/binding", "bindings"), List.of("create")),
            rule(CORE, List.of("pods/status"), List.of("patch", "update")),
            rule(CORE, List.of("events"), List.of("create", "patch", "update")),
            rule(COORDINATION, List.of("leases"), List.of("create", "get", "update")))),
        // Berth's controllers: workloads, endpoints, node lifecycle, pod GC, and namespace
        // deletion, which removes every namespaced object of every kind.
        Map.entry("system:kube-controller-manager", List.of(
            rule("*", List.of("*"), List.of("get", "list", "watch", "delete", "deletecollection")),
            rule(CORE, List.of("pods", "pods/status", "pods/eviction", "nodes", "nodes/status", "endpoints",
                "events", "namespaces", "namespaces/status", "namespaces/finalize", "services", "services/status"),
                List.of("create", "patch", "update")),
            rule(APPS, List.of("deployments", "deployments/status", "replicasets", "replicasets/status",
                "replicasets/scale", "deployments/scale"), List.of("create", "patch", "update")),
            rule(COORDINATION, List.of("leases"), List.of("create", "patch", "update")))),
        // Kubernetes' role for kubelets (unbound; the Node authorizer decides for agents).
        Map.entry("system:node", List.of(
            rule(CORE, List.of("nodes"), concat(READ, List.of("create", "patch", "update", "delete"))),
            rule(CORE, List.of("nodes/status"), List.of("patch", "update")),
            rule(CORE, List.of("pods"), concat(READ, List.of("delete", "patch"))),
            rule(CORE, List.of("pods/status"), List.of("patch", "update")),
            rule(CORE, List.of("events"), List.of("create", "patch", "update")),
            rule(CORE, List.of("configmaps", "secrets"), List.of("get")),
            rule(CORE, List.of("services", "endpoints"), READ),
            rule(COORDINATION, List.of("leases"), List.of("create", "delete", "get", "patch", "update")))),
        // Berth's ingress routes by ingresses and services, and terminates TLS with their secrets.
        Map.entry("system:berth-ingress", List.of(
            rule(CORE, List.of("services", "endpoints", "secrets"), READ),
            rule(NETWORKING, List.of("ingresses", "ingressclasses"), READ),
            rule(NETWORKING, List.of("ingresses/status"), List.of("patch", "update")),
            rule(CORE, List.of("events"), List.of("create", "patch", "update")))));
  }

  /** Every built-in ClusterRoleBinding. */
  public static List<ClusterRoleBinding> bindings() {
    return List.of(
        binding("cluster-admin", "cluster-admin", group("system:masters")),
        binding("system:basic-user", "system:basic-user", group("system:authenticated")),
        binding("system:discovery", "system:discovery", group("system:authenticated")),
        binding("system:public-info-viewer", "system:public-info-viewer", group("system:authenticated"),
            group("system:unauthenticated")),
        binding("system:kube-scheduler", "system:kube-scheduler", user("system:kube-scheduler")),
        binding("system:kube-controller-manager", "system:kube-controller-manager",
            user("system:kube-controller-manager")),
        binding("system:berth-ingress", "system:berth-ingress", user(INGRESS_USER), group(INGRESS_GROUP)),
        binding(DASHBOARD_ROLE, DASHBOARD_ROLE, group(DASHBOARD_GROUP),
            new Subject("", "ServiceAccount", DASHBOARD_ACCOUNT, SystemNamespaces.KUBE_SYSTEM)));
  }

  /**
   * What the dashboard at /ui reads: the view role's objects, plus nodes and leases (leaders of
   * the scheduler and controllers) and the store members' statuses, all read-only.
   */
  private static List<PolicyRule> dashboardViewer(List<PolicyRule> view) {
    List<PolicyRule> rules = new ArrayList<>(view);
    rules.add(rule(CORE, List.of("nodes", "nodes/status"), READ));
    rules.add(rule(COORDINATION, List.of("leases"), READ));
    rules.add(rule("events.k8s.io", List.of("events"), READ));
    rules.add(nonResource(List.of("/ui/api/*"), List.of("get")));
    return rules;
  }

  private static ClusterRole clusterRole(String name, List<PolicyRule> rules) {
    ClusterRole role = new ClusterRole();
    role.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(LABELS)
        .withAnnotations(Map.of("rbac.authorization.kubernetes.io/autoupdate", "true")).build());
    role.setRules(new ArrayList<>(rules));
    return role;
  }

  private static ClusterRoleBinding binding(String name, String role, Subject... subjects) {
    ClusterRoleBinding binding = new ClusterRoleBinding();
    binding.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(LABELS)
        .withAnnotations(Map.of("rbac.authorization.kubernetes.io/autoupdate", "true")).build());
    binding.setRoleRef(new RoleRef(ResourceTable.RBAC, "ClusterRole", role));
    binding.setSubjects(new ArrayList<>(List.of(subjects)));
    return binding;
  }

  private static Subject group(String name) {
    return new Subject(ResourceTable.RBAC, "Group", name, null);
  }

  private static Subject user(String name) {
    return new Subject(ResourceTable.RBAC, "User", name, null);
  }

  private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
  }

  private static PolicyRule nonResource(List<String> urls, List<String> verbs) {
    return new PolicyRuleBuilder().withNonResourceURLs(urls).withVerbs(verbs).build();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
