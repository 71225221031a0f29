package io.berth.apiserver.registry;

import java.util.List;

/**
 * A subresource a resource declares (pods/status, deployments/scale, ...): its name
 * under the object's path, the verbs it takes, and the kind of its body. Discovery
 * lists it as "{@code <plural>/<name>}"; a body of another group's kind (autoscaling/v1
 * Scale, policy/v1 Eviction) names that group and version, as Kubernetes does.
 *
 * @param group the group of the body's kind, or null when it is the parent's
 * @param version the version of the body's kind, or null when it is the parent's
 */
public record Subresource(String name, String kind, String group, String version, List<String> verbs) {
  private static final List<String> READ_WRITE = List.of("get", "patch", "update");

  public Subresource {
    verbs = List.copyOf(verbs);
  }

  /** The status of an object, written by its controller or agent apart from its spec. */
  public static Subresource status(String parentKind) {
    return new Subresource("status", parentKind, null, null, READ_WRITE);
  }

  /** The replica count as an autoscaling/v1 Scale, what {@code kubectl scale} and autoscalers use. */
  public static Subresource scale() {
    return new Subresource("scale", "Scale", "autoscaling", "v1", READ_WRITE);
  }

  /** A pod bound to a node, posted by the scheduler. */
  public static Subresource podBinding() {
    return new Subresource("binding", "Binding", null, null, List.of("create"));
  }

  /** An eviction of a pod that respects disruption budgets ({@code kubectl drain}). */
  public static Subresource podEviction() {
    return new Subresource("eviction", "Eviction", "policy", "v1", List.of("create"));
  }

  /** A container's log ({@code kubectl logs}). */
  public static Subresource podLog() {
    return new Subresource("log", "Pod", null, null, List.of("get"));
  }
}
