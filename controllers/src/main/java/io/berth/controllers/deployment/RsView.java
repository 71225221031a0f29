package io.berth.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/**
 * One ReplicaSet of a Deployment as a rollout decision sees it: its spec.replicas, and
 * from the pod cache how many of its pods are active and available.
 *
 * <p>The decisions use two conservative readings of these, which is what keeps maxSurge
 * and maxUnavailable true at every instant, not only once everything settles: at most
 * {@link #podsAtMost()} pods exist (pods it was told to give up may not be deleted yet), and
 * at least {@link #availableAtLeast()} stay available (a surplus available pod is about to go).
 */
public record RsView(ReplicaSet rs, int replicas, int active, int available) {

  public String name() {
    return rs.getMetadata().getName();
  }

  public int podsAtMost() {
    return Math.max(replicas, active);
  }

  public int availableAtLeast() {
    return Math.min(replicas, available);
  }

  public RsView withReplicas(int newReplicas) {
    return new RsView(rs, newReplicas, active, available);
  }
}
