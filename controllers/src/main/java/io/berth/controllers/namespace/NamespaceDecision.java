package io.berth.controllers.namespace;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;

/**
 * The namespace controller's decision for one namespace being deleted, a pure function of
 * the namespace and what is still in it: delete what is not being deleted yet; once nothing
 * is left, take the "kubernetes" finalizer off spec.finalizers, which lets the namespace go.
 */
final class NamespaceDecision {
  static final String FINALIZER = "kubernetes";

  /**
   * @param delete objects to delete now
   * @param waitingFor how many objects are still there (being deleted, or about to be)
   * @param removeFinalizer whether to remove the finalizer now
   */
  record Plan(List<HasMetadata> delete, int waitingFor, boolean removeFinalizer) {}

  private NamespaceDecision() {}

  static boolean isTerminating(Namespace namespace) {
    return namespace.getMetadata().getDeletionTimestamp() != null;
  }

  static boolean holdsFinalizer(Namespace namespace) {
    return namespace.getSpec() != null && namespace.getSpec().getFinalizers() != null
        && namespace.getSpec().getFinalizers().contains(FINALIZER);
  }

  /** @param content every object of every namespaced kind in the namespace, read from the API */
  static Plan plan(Namespace namespace, List<HasMetadata> content) {
    if (!isTerminating(namespace) || !holdsFinalizer(namespace)) {
      return new Plan(List.of(), 0, false);
    }
    List<HasMetadata> delete = content.stream().filter(o -> o.getMetadata().getDeletionTimestamp() == null).toList();
    return new Plan(delete, content.size(), content.isEmpty());
  }
}
