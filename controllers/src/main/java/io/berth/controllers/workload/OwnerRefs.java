package io.berth.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Owner references: which object controls another, and the reference a controller puts on what it owns. */
public final class OwnerRefs {
  /** The index of an informer by the uid of each object's controller (shared: one function, one name). */
  public static final String CONTROLLER_UID_INDEX = "controller-uid";

  private OwnerRefs() {}

  /** The values of {@link #CONTROLLER_UID_INDEX} for an object. */
  public static List<String> controllerUid(HasMetadata object) {
    return controllerOf(object).map(r -> List.of(r.getUid())).orElse(List.of());
  }

  /** The reference with controller=true, if any (at most one may have it). */
  public static Optional<OwnerReference> controllerOf(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
    return controllerOf(object).map(r -> r.getUid().equals(owner.getMetadata().getUid())).orElse(false);
  }

  /**
   * The reference a controller sets on what it creates or adopts: controller=true, and
   * blockOwnerDeletion=true so that a foreground deletion of the owner waits for it.
   */
  public static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }

  /** {@code object}'s references with {@code owner}'s controller reference added (adoption). */
  public static List<OwnerReference> withController(HasMetadata object, HasMetadata owner) {
    List<OwnerReference> refs = new ArrayList<>(withoutOwner(object, owner.getMetadata().getUid()));
    refs.add(controllerRef(owner));
    return refs;
  }

  /** {@code object}'s references without any to the owner with {@code uid} (release). */
  public static List<OwnerReference> withoutOwner(HasMetadata object, String uid) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return List.of();
    }
    return refs.stream().filter(r -> !uid.equals(r.getUid())).toList();
  }
}
