package io.berth.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.Map;

/**
 * The annotations a Deployment and its ReplicaSets carry, as kubectl rollout reads them:
 * the revision of each ReplicaSet (the Deployment's is its new ReplicaSet's), the
 * revisions a reused ReplicaSet had before, and the sizes the Deployment wanted when it last
 * touched each ReplicaSet (how proportional scaling tells a resize from a rollout).
 */
public final class Revisions {
  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

  private Revisions() {}

  /** The revision annotation, 0 when absent or unreadable. */
  public static long of(HasMetadata object) {
    return number(object, REVISION);
  }

  public static long max(Collection<? extends HasMetadata> objects) {
    return objects.stream().mapToLong(Revisions::of).max().orElse(0);
  }

  /** An integer annotation, or -1 when absent or unreadable. */
  static long annotation(HasMetadata object, String name) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    if (annotations == null || annotations.get(name) == null) {
      return -1;
    }
    try {
      return Long.parseLong(annotations.get(name));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long number(HasMetadata object, String name) {
    return Math.max(0, annotation(object, name));
  }
}
