package io.berth.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * The garbage collector's decision about one object, a pure function of the object, its
 * dependents and the state of each of its owners:
 *
 * <ol>
 *   <li>being deleted with the {@code orphan} finalizer: orphan the dependents;</li>
 *   <li>being deleted with {@code foregroundDeletion}: delete the dependents, and let the
 *       object go once none with blockOwnerDeletion is left;</li>
 *   <li>otherwise, as a dependent: if no owner remains (each is absent, or being deleted in
 *       the foreground), delete it: in the foreground if an owner waits for it, else in the
 *       background; if some owners remain, drop the references to the absent ones.</li>
 * </ol>
 */
final class GcDecision {
  static final String ORPHAN = "orphan";
  static final String FOREGROUND = "foregroundDeletion";

  /** What became of an owner, as the collector found it (absent only once checked against the API). */
  enum OwnerState { PRESENT, ABSENT, DELETING_FOREGROUND }

  private GcDecision() {}

  /**
   * @param dependents the objects with an owner reference to {@code object}
   * @param owners the state of each of {@code object}'s owners, by uid
   */
  static GcPlan plan(HasMetadata object, List<HasMetadata> dependents, Map<String, OwnerState> owners) {
    String uid = object.getMetadata().getUid();
    if (isDeleting(object) && hasFinalizer(object, ORPHAN)) {
      return new GcPlan.Orphan(dependents);
    }
    if (isDeleting(object) && hasFinalizer(object, FOREGROUND)) {
      List<HasMetadata> toDelete = dependents.stream().filter(d -> !isDeleting(d)).toList();
      boolean blocked = dependents.stream().anyMatch(d -> blocksDeletionOf(d, uid));
      return new GcPlan.Foreground(toDelete, !blocked);
    }
    if (OwnerGraph.owners(object).isEmpty() || isDeleting(object)) {
      return new GcPlan.Nothing();
    }
    List<String> absent = owners.entrySet().stream().filter(e -> e.getValue() == OwnerState.ABSENT)
        .map(Map.Entry::getKey).toList();
    boolean anyRemains = owners.containsValue(OwnerState.PRESENT);
    if (anyRemains) {
      return absent.isEmpty() ? new GcPlan.Nothing() : new GcPlan.DropOwners(absent);
    }
    boolean waitedFor = owners.containsValue(OwnerState.DELETING_FOREGROUND);
    return new GcPlan.DeleteSelf(waitedFor ? "Foreground" : "Background");
  }

  static boolean isDeleting(HasMetadata object) {
    return object.getMetadata().getDeletionTimestamp() != null;
  }

  static boolean hasFinalizer(HasMetadata object, String finalizer) {
    List<String> finalizers = object.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(finalizer);
  }

  /** Whether {@code dependent}'s reference to the owner {@code uid} asks the owner to wait for it. */
  private static boolean blocksDeletionOf(HasMetadata dependent, String uid) {
    return OwnerGraph.owners(dependent).stream()
        .anyMatch(r -> uid.equals(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
  }

  static OwnerState stateOf(HasMetadata owner) {
    if (owner == null) {
      return OwnerState.ABSENT;
    }
    return isDeleting(owner) && hasFinalizer(owner, FOREGROUND) ? OwnerState.DELETING_FOREGROUND
        : OwnerState.PRESENT;
  }

}
