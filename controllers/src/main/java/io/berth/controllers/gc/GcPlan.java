package io.berth.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** What the garbage collector does about one object, decided without any write. */
sealed interface GcPlan {
  /** Nothing to do. */
  record Nothing() implements GcPlan {}

  /**
   * The object is being deleted with the orphan finalizer: take its references off these
   * dependents, then remove the finalizer.
   */
  record Orphan(List<HasMetadata> dependents) implements GcPlan {}

  /**
   * The object is being deleted in the foreground: delete these dependents (in the
   * foreground too, so the deletion goes down the whole tree), and remove the
   * foregroundDeletion finalizer once no dependent blocks it.
   */
  record Foreground(List<HasMetadata> delete, boolean removeFinalizer) implements GcPlan {}

  /** Every owner of the object is gone (or going in the foreground): delete it with this policy. */
  record DeleteSelf(String propagationPolicy) implements GcPlan {}

  /** Some owners are gone but others remain: drop the references to the gone ones. */
  record DropOwners(List<String> uids) implements GcPlan {}
}
