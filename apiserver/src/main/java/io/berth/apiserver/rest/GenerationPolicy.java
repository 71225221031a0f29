package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.Set;

/**
 * metadata.generation, for the kinds whose controllers report progress against it
 * (status.observedGeneration): 1 on create, +1 on each update that changes the spec,
 * unchanged when only metadata or status change. Clients cannot set it.
 */
final class GenerationPolicy {
  /** As in Kubernetes 1.32's registry strategies. */
  private static final Set<String> TRACKED_KINDS = Set.of("Deployment", "ReplicaSet", "Ingress");

  private GenerationPolicy() {}

  static void onCreate(HasMetadata object) {
    if (tracked(object)) {
      object.getMetadata().setGeneration(1L);
    }
  }

  static void onUpdate(HasMetadata object, HasMetadata existing) {
    if (!tracked(object)) {
      return;
    }
    Long stored = existing.getMetadata().getGeneration();
    long generation = stored == null ? 1 : stored;
    if (!Objects.equals(spec(object), spec(existing))) {
      generation++;
    }
    object.getMetadata().setGeneration(generation);
  }

  private static boolean tracked(HasMetadata object) {
    return TRACKED_KINDS.contains(object.getKind());
  }

  private static JsonNode spec(HasMetadata object) {
    return ObjectCodec.toTree(object).get("spec");
  }
}
