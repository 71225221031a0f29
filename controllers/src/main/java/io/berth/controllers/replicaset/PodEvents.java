package io.berth.controllers.replicaset;

import io.berth.client.informer.IndexedCache;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.workload.Expectations;
import io.berth.controllers.workload.OwnerRefs;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Routes pod changes to the ReplicaSets they concern, and tells the expectations what was
 * observed: a pod with a controller reference concerns that owner (if it is a ReplicaSet we
 * know, with that uid); an orphan concerns every ReplicaSet of its namespace whose selector
 * matches it (one may adopt it). A pod marked for deletion counts as deleted already.
 */
final class PodEvents implements ResourceEventHandler<Pod> {
  private final IndexedCache<ReplicaSet> replicaSets;
  private final Expectations expectations;
  private final Consumer<String> enqueue;

  PodEvents(IndexedCache<ReplicaSet> replicaSets, Expectations expectations, Consumer<String> enqueue) {
    this.replicaSets = replicaSets;
    this.expectations = expectations;
    this.enqueue = enqueue;
  }

  @Override
  public void onAdd(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      onDelete(pod);
      return;
    }
    Optional<String> owner = ownerKey(pod);
    if (owner.isPresent()) {
      expectations.creationObserved(owner.get());
      enqueue.accept(owner.get());
    } else {
      enqueueAdopters(pod);
    }
  }

  @Override
  public void onUpdate(Pod before, Pod after) {
    if (after.getMetadata().getDeletionTimestamp() != null && before.getMetadata().getDeletionTimestamp() == null) {
      ownerKey(after).ifPresent(owner -> expectations.deletionObserved(owner, ObjectKeys.key(after)));
    }
    Optional<OwnerReference> was = OwnerRefs.controllerOf(before);
    Optional<OwnerReference> is = OwnerRefs.controllerOf(after);
    if (!Objects.equals(was.map(OwnerReference::getUid), is.map(OwnerReference::getUid))) {
      // Released or taken by another: the old owner must count again.
      ownerKey(before).ifPresent(enqueue);
    }
    Optional<String> owner = ownerKey(after);
    if (owner.isPresent()) {
      enqueue.accept(owner.get());
    } else if (is.isEmpty()) {
      enqueueAdopters(after);
    }
  }

  @Override
  public void onDelete(Pod pod) {
    ownerKey(pod).ifPresent(owner -> {
      expectations.deletionObserved(owner, ObjectKeys.key(pod));
      enqueue.accept(owner);
    });
  }

  /** The key of the ReplicaSet controlling this pod, if it is one this cache holds with that uid. */
  private Optional<String> ownerKey(Pod pod) {
    return OwnerRefs.controllerOf(pod)
        .filter(ref -> "ReplicaSet".equals(ref.getKind()))
        .flatMap(ref -> replicaSets.get(pod.getMetadata().getNamespace(), ref.getName())
            .filter(rs -> rs.getMetadata().getUid().equals(ref.getUid())))
        .map(ObjectKeys::key);
  }

  private void enqueueAdopters(Pod orphan) {
    if (orphan.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    for (ReplicaSet rs : replicaSets.byIndex(IndexedCache.NAMESPACE_INDEX, orphan.getMetadata().getNamespace())) {
      if (ReplicaSetDecision.selects(rs, orphan)) {
        enqueue.accept(ObjectKeys.key(rs));
      }
    }
  }
}
