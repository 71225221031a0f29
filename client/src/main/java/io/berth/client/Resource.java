package io.berth.client;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsList;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetList;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassList;
import io.fabric8.kubernetes.api.model.networking.v1.IngressList;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.RoleList;

/**
 * What the client needs to know about one kind to call the API for it: where it lives
 * in the REST tree and which classes its objects and lists decode into. The constants
 * are the kinds Berth serves; any other kind works through the constructor.
 *
 * @param group API group, "" for the core group
 * @param version API version within the group
 * @param kind the kind, as in an object's {@code kind} field
 * @param plural the resource name in URLs
 * @param namespaced whether objects live in namespaces
 * @param type the model class of one object
 * @param listType the model class of a list of them
 */
public record Resource<T extends HasMetadata>(String group, String version, String kind, String plural,
    boolean namespaced, Class<T> type, Class<? extends KubernetesResourceList<T>> listType) {

  private static final String RBAC = "rbac.authorization.k8s.io";

  public static final Resource<Namespace> NAMESPACE =
      core("Namespace", "namespaces", false, Namespace.class, NamespaceList.class);
  public static final Resource<Node> NODE = core("Node", "nodes", false, Node.class, NodeList.class);
  public static final Resource<Pod> POD = core("Pod", "pods", true, Pod.class, PodList.class);
  public static final Resource<Service> SERVICE = core("Service", "services", true, Service.class, ServiceList.class);
  public static final Resource<Endpoints> ENDPOINTS =
      core("Endpoints", "endpoints", true, Endpoints.class, EndpointsList.class);
  public static final Resource<ConfigMap> CONFIG_MAP =
      core("ConfigMap", "configmaps", true, ConfigMap.class, ConfigMapList.class);
  public static final Resource<Secret> SECRET = core("Secret", "secrets", true, Secret.class, SecretList.class);
  public static final Resource<Event> EVENT = core("Event", "events", true, Event.class, EventList.class);
  public static final Resource<Deployment> DEPLOYMENT =
      new Resource<>("apps", "v1", "Deployment", "deployments", true, Deployment.class, DeploymentList.class);
  public static final Resource<ReplicaSet> REPLICA_SET =
      new Resource<>("apps", "v1", "ReplicaSet", "replicasets", true, ReplicaSet.class, ReplicaSetList.class);
  public static final Resource<Ingress> INGRESS = new Resource<>("networking.k8s.io", "v1", "Ingress", "ingresses",
      true, Ingress.class, IngressList.class);
  public static final Resource<IngressClass> INGRESS_CLASS = new Resource<>("networking.k8s.io", "v1",
      "IngressClass", "ingressclasses", false, IngressClass.class, IngressClassList.class);
  public static final Resource<Lease> LEASE =
      new Resource<>("coordination.k8s.io", "v1", "Lease", "leases", true, Lease.class, LeaseList.class);
  public static final Resource<Role> ROLE =
      new Resource<>(RBAC, "v1", "Role", "roles", true, Role.class, RoleList.class);
  public static final Resource<RoleBinding> ROLE_BINDING =
      new Resource<>(RBAC, "v1", "RoleBinding", "rolebindings", true, RoleBinding.class, RoleBindingList.class);

  private static <T extends HasMetadata> Resource<T> core(String kind, String plural, boolean namespaced,
      Class<T> type, Class<? extends KubernetesResourceList<T>> listType) {
    return new Resource<>("", "v1", kind, plural, namespaced, type, listType);
  }

  /** The apiVersion field of its objects: "v1" or "apps/v1". */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /**
   * The path of the collection: all namespaces when {@code namespace} is null, else
   * one namespace (for namespaced kinds only).
   */
  public String collectionPath(String namespace) {
    String root = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    if (namespace == null) {
      return root + "/" + plural;
    }
    if (!namespaced) {
      throw new IllegalArgumentException(kind + " is not namespaced, yet namespace " + namespace + " was given");
    }
    return root + "/namespaces/" + namespace + "/" + plural;
  }

  /** The path of one object. */
  public String objectPath(String namespace, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a " + kind + " needs a name");
    }
    if (namespaced && namespace == null) {
      throw new IllegalArgumentException(kind + " is namespaced; a namespace is needed to name " + name);
    }
    return collectionPath(namespace) + "/" + name;
  }
}
