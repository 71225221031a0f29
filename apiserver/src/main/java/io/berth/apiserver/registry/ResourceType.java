package io.berth.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * One kind of object the API serves: where it lives in the URL space (group,
 * version, plural), what discovery says about it, and the fabric8 model class
 * its JSON is read into.
 *
 * @param group the API group; "" for the core (legacy) group served under /api
 * @param namespaced whether objects live in a namespace (false: cluster-scoped)
 * @param subresources what may follow an object's name in its path (status, scale, ...)
 * @param categories the groups of resources kubectl may name at once ("all" in {@code kubectl get all})
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> verbs,
    Class<? extends HasMetadata> modelClass,
    List<Subresource> subresources,
    List<String> categories) {

  /**
   * The verbs discovery advertises for every resource, in Kubernetes' order (patch: all
   * four patch types). The handler maps each request to one of them.
   */
  public static final List<String> CRUD_VERBS = List.of("create", "delete", "deletecollection", "get", "list",
      "patch", "update", "watch");

  public ResourceType {
    shortNames = List.copyOf(shortNames);
    verbs = List.copyOf(verbs);
    subresources = List.copyOf(subresources);
    categories = List.copyOf(categories);
  }

  /** A resource without subresources, in no category. */
  public ResourceType(String group, String version, String kind, String plural, String singular, boolean namespaced,
      List<String> shortNames, List<String> verbs, Class<? extends HasMetadata> modelClass) {
    this(group, version, kind, plural, singular, namespaced, shortNames, verbs, modelClass, List.of(), List.of());
  }

  /** "v1" for the core group, "apps/v1" otherwise: the apiVersion of objects of this kind. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "configmaps", or "deployments.apps" in a named group: how Kubernetes names a resource in messages. */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public String listKind() {
    return kind + "List";
  }

  public boolean supports(String verb) {
    return verbs.contains(verb);
  }

  /** The subresource called {@code name} ("status", "scale"), if this resource declares it. */
  public Optional<Subresource> subresource(String name) {
    return subresources.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
