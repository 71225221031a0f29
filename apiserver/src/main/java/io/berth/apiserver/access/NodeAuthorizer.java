package io.berth.apiserver.access;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Kubernetes' Node authorizer and NodeRestriction admission in one: an agent
 * (system:node:NAME in group system:nodes) may read nodes and pods, change only its own
 * Node and its Lease in kube-node-lease, update the status of (and annotate, and delete)
 * only the pods bound to it, report events, read services and endpoints (its NodePort
 * proxy routes by them), and get only the Secrets and ConfigMaps its
 * bound pods refer to (env, envFrom, volumes, imagePullSecrets), and create tokens only for
 * the service accounts of its bound pods that mount one. Anything else it asks is
 * left to the next authorizer (RBAC binds nothing to system:nodes, so: refused).
 *
 * <p>Done at authorization (with the pod cache) rather than in an admission stage, except
 * the name of a created Node or Lease, which only the body carries: {@link NodeRestriction}.
 */
public final class NodeAuthorizer implements Authorizer {
  public static final String NODES_GROUP = "system:nodes";
  public static final String NODE_PREFIX = "system:node:";
  private static final Set<String> READ = Set.of("get", "list", "watch");
  private static final Set<String> WRITE = Set.of("create", "update", "patch", "delete");

  /** The pods bound to a node, by node name (the watch cache of pods, in the server). */
  public interface BoundPods {
    List<Pod> boundTo(String node);

    Optional<Pod> pod(String namespace, String name);
  }

  private final BoundPods pods;

  public NodeAuthorizer(BoundPods pods) {
    this.pods = pods;
  }

  @Override
  public Decision authorize(RequestAttributes r) {
    String node = nodeName(r.user());
    if (node == null || !r.isResourceRequest()) {
      return Decision.deny("");
    }
    String resource = r.resourceWithSubresource();
    boolean allowed = switch (r.apiGroup() + "/" + resource) {
      // A create names its object in the body, which NodeRestriction checks.
      case "/nodes" -> READ.contains(r.verb()) || (WRITE.contains(r.verb()) && node.equals(r.name()))
          || (r.verb().equals("create") && r.name() == null);
      case "/nodes/status" -> node.equals(r.name()) && Set.of("get", "update", "patch").contains(r.verb());
      case "coordination.k8s.io/leases" -> "kube-node-lease".equals(r.namespace())
          && ((node.equals(r.name()) && (WRITE.contains(r.verb()) || r.verb().equals("get")))
              || (r.verb().equals("create") && r.name() == null));
      case "/pods" -> READ.contains(r.verb())
          || (Set.of("update", "patch", "delete").contains(r.verb()) && boundHere(r, node));
      case "/pods/status" -> r.verb().equals("get")
          || (Set.of("update", "patch").contains(r.verb()) && boundHere(r, node));
      case "/events", "events.k8s.io/events" -> Set.of("create", "update", "patch").contains(r.verb());
      // The agent process also runs the NodePort proxy (kube-proxy's job), which routes by these.
      case "/services", "/endpoints" -> READ.contains(r.verb());
      case "/secrets" -> r.verb().equals("get") && referenced(r, node, NodeAuthorizer::secretsOf);
      case "/configmaps" -> r.verb().equals("get") && referenced(r, node, NodeAuthorizer::configMapsOf);
      // The token a pod bound here mounts (its projected serviceAccountToken source), as kubelet asks for it.
      case "/serviceaccounts/token" -> r.verb().equals("create")
          && referenced(r, node, spec -> mountsToken(spec) ? List.of(serviceAccountOf(spec)) : List.of());
      default -> false;
    };
    if (allowed) {
      return new Decision(true, "Node: allowed for node '" + node + "'");
    }
    return switch (resource) {
      case "secrets", "configmaps" -> Decision.deny(READ.contains(r.verb()) && !r.verb().equals("get")
          ? "can only read individual resources of this type"
          : "no relationship found between node '" + node + "' and this object");
      default -> Decision.deny("");
    };
  }

  /** NAME of system:node:NAME, when the user is also in system:nodes; else null. */
  static String nodeName(UserInfo user) {
    if (!user.name().startsWith(NODE_PREFIX) || !user.groups().contains(NODES_GROUP)) {
      return null;
    }
    String name = user.name().substring(NODE_PREFIX.length());
    return name.isEmpty() ? null : name;
  }

  private boolean boundHere(RequestAttributes r, String node) {
    return r.namespace() != null && r.name() != null
        && pods.pod(r.namespace(), r.name()).map(p -> node.equals(p.getSpec().getNodeName())).orElse(false);
  }

  private boolean referenced(RequestAttributes r, String node, Function<PodSpec, List<String>> references) {
    if (r.name() == null || r.namespace() == null) {
      return false;
    }
    return pods.boundTo(node).stream()
        .filter(p -> r.namespace().equals(p.getMetadata().getNamespace()) && p.getSpec() != null)
        .anyMatch(p -> references.apply(p.getSpec()).contains(r.name()));
  }

  static List<String> secretsOf(PodSpec spec) {
    List<String> names = new ArrayList<>();
    orEmpty(spec.getImagePullSecrets()).forEach(ref -> names.add(ref.getName()));
    names.addAll(referenced(spec,
        v -> v.getSecret() == null ? null : v.getSecret().getSecretName(),
        p -> p.getSecret() == null ? null : p.getSecret().getName(),
        from -> from.getSecretRef() == null ? null : from.getSecretRef().getName(),
        env -> env.getSecretKeyRef() == null ? null : env.getSecretKeyRef().getName()));
    return names.stream().filter(Objects::nonNull).toList();
  }

  static String serviceAccountOf(PodSpec spec) {
    return spec.getServiceAccountName() == null || spec.getServiceAccountName().isEmpty() ? "default"
        : spec.getServiceAccountName();
  }

  private static boolean mountsToken(PodSpec spec) {
    return orEmpty(spec.getVolumes()).stream().anyMatch(v -> v.getProjected() != null
        && orEmpty(v.getProjected().getSources()).stream().anyMatch(p -> p.getServiceAccountToken() != null));
  }

  static List<String> configMapsOf(PodSpec spec) {
    return referenced(spec,
        v -> v.getConfigMap() == null ? null : v.getConfigMap().getName(),
        p -> p.getConfigMap() == null ? null : p.getConfigMap().getName(),
        from -> from.getConfigMapRef() == null ? null : from.getConfigMapRef().getName(),
        env -> env.getConfigMapKeyRef() == null ? null : env.getConfigMapKeyRef().getName());
  }

  /** The names one kind of reference gives, in volumes, projected volumes, envFrom and env of every container. */
  private static List<String> referenced(PodSpec spec, Function<Volume, String> volume,
      Function<VolumeProjection, String> projection, Function<EnvFromSource, String> envFrom,
      Function<EnvVarSource, String> env) {
    List<String> names = new ArrayList<>();
    for (Volume v : orEmpty(spec.getVolumes())) {
      names.add(volume.apply(v));
      if (v.getProjected() != null) {
        orEmpty(v.getProjected().getSources()).forEach(p -> names.add(projection.apply(p)));
      }
    }
    for (Container c : containers(spec)) {
      orEmpty(c.getEnvFrom()).forEach(from -> names.add(envFrom.apply(from)));
      for (EnvVar e : orEmpty(c.getEnv())) {
        if (e.getValueFrom() != null) {
          names.add(env.apply(e.getValueFrom()));
        }
      }
    }
    return names.stream().filter(Objects::nonNull).toList();
  }

  private static List<Container> containers(PodSpec spec) {
    List<Container> all = new ArrayList<>(orEmpty(spec.getInitContainers()));
    all.addAll(orEmpty(spec.getContainers()));
    return all;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
