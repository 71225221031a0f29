package io.berth.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Which objects a controller owns, as Kubernetes' controller ref manager decides it, without
 * the writes: those it controls that still match its selector are its own; those it controls
 * that no longer match are released (orphaned); orphans that match are adopted, unless the
 * owner is being deleted or the orphan is. Objects controlled by someone else are never touched.
 *
 * @param claimed what the owner owns once the adoptions and releases are written
 * @param adopt orphans to take (write the controller reference)
 * @param release owned objects to let go (remove the reference)
 */
public record Claims<T extends HasMetadata>(List<T> claimed, List<T> adopt, List<T> release) {

  public static <T extends HasMetadata> Claims<T> decide(HasMetadata owner, LabelSelector selector,
      List<T> candidates) {
    List<T> claimed = new ArrayList<>();
    List<T> adopt = new ArrayList<>();
    List<T> release = new ArrayList<>();
    boolean ownerDeleting = owner.getMetadata().getDeletionTimestamp() != null;
    for (T candidate : candidates) {
      boolean matches = Selectors.matches(selector, candidate.getMetadata().getLabels());
      var controller = OwnerRefs.controllerOf(candidate);
      if (controller.isPresent()) {
        if (!controller.get().getUid().equals(owner.getMetadata().getUid())) {
          continue;
        }
        if (matches) {
          claimed.add(candidate);
        } else {
          release.add(candidate);
        }
      } else if (matches && !ownerDeleting && candidate.getMetadata().getDeletionTimestamp() == null) {
        adopt.add(candidate);
        claimed.add(candidate);
      }
    }
    return new Claims<>(List.copyOf(claimed), List.copyOf(adopt), List.copyOf(release));
  }
}
