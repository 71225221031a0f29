package io.berth.controllers.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.client.PatchType;
import io.berth.client.ResourceClient;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;

/** Carries out {@link Claims}: writes adoptions and releases. */
public final class OwnerWrites {
  private OwnerWrites() {}

  /**
   * Writes the adoptions and releases of {@code claims} for {@code owner}; stops at the
   * first failure, so that the caller does not scale on a count that did not come true.
   */
  public static <T extends HasMetadata> void apply(ResourceClient<T> objects, HasMetadata owner, Claims<T> claims) {
    for (T orphan : claims.adopt()) {
      setOwners(objects, orphan, OwnerRefs.withController(orphan, owner));
    }
    for (T stray : claims.release()) {
      setOwners(objects, stray, OwnerRefs.withoutOwner(stray, owner.getMetadata().getUid()));
    }
  }

  /**
   * Writes an object's ownerReferences, conditioned on the version the decision saw (a
   * resourceVersion in a merge patch is a precondition), so that an object changed meanwhile
   * (adopted by another, relabelled) is decided again rather than overwritten.
   */
  private static <T extends HasMetadata> void setOwners(ResourceClient<T> objects, T object,
      List<OwnerReference> owners) {
    Map<String, Object> patch = Map.of("metadata", Map.of("ownerReferences", owners,
        "resourceVersion", object.getMetadata().getResourceVersion()));
    try {
      objects.inNamespace(object.getMetadata().getNamespace()).patch(object.getMetadata().getName(),
          PatchType.MERGE, Json.MAPPER.writeValueAsString(patch));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
