package io.berth.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/** A decision: set this ReplicaSet's spec.replicas to {@code replicas}. */
public record Scale(ReplicaSet rs, int replicas) {
  public String name() {
    return rs.getMetadata().getName();
  }
}
