package io.berth.controllers.deployment;

import io.berth.client.informer.IndexedCache;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.workload.OwnerRefs;
import io.berth.controllers.workload.Selectors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Routes ReplicaSet and pod changes to the Deployments they concern: a ReplicaSet to the
 * Deployment controlling it (or, an orphan, to every Deployment of its namespace that
 * selects it); a pod to the Deployment controlling its ReplicaSet.
 */
final class DeploymentEvents {
  private final IndexedCache<Deployment> deployments;
  private final IndexedCache<ReplicaSet> replicaSets;
  private final Consumer<String> enqueue;

  DeploymentEvents(IndexedCache<Deployment> deployments, IndexedCache<ReplicaSet> replicaSets,
      Consumer<String> enqueue) {
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.enqueue = enqueue;
  }

  ResourceEventHandler<Deployment> forDeployments() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Deployment d) {
        enqueue.accept(ObjectKeys.key(d));
      }

      @Override
      public void onUpdate(Deployment before, Deployment after) {
        enqueue.accept(ObjectKeys.key(after));
      }

      @Override
      public void onDelete(Deployment d) {
        enqueue.accept(ObjectKeys.key(d));
      }
    };
  }

  ResourceEventHandler<ReplicaSet> forReplicaSets() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        route(rs);
      }

      @Override
      public void onUpdate(ReplicaSet before, ReplicaSet after) {
        if (!OwnerRefs.controllerUid(before).equals(OwnerRefs.controllerUid(after))) {
          route(before);
        }
        route(after);
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        route(rs);
      }
    };
  }

  ResourceEventHandler<Pod> forPods() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        viaReplicaSet(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        viaReplicaSet(after);
      }

      @Override
      public void onDelete(Pod pod) {
        viaReplicaSet(pod);
      }
    };
  }

  private void viaReplicaSet(Pod pod) {
    OwnerRefs.controllerOf(pod).filter(ref -> "ReplicaSet".equals(ref.getKind()))
        .flatMap(ref -> replicaSets.get(pod.getMetadata().getNamespace(), ref.getName()))
        .flatMap(this::controllingDeployment)
        .ifPresent(enqueue);
  }

  private void route(ReplicaSet rs) {
    Optional<OwnerReference> controller = OwnerRefs.controllerOf(rs);
    if (controller.isPresent()) {
      if ("Deployment".equals(controller.get().getKind())) {
        enqueue.accept(ObjectKeys.key(rs.getMetadata().getNamespace(), controller.get().getName()));
      }
      return;
    }
    for (Deployment d : deployments.byIndex(IndexedCache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())) {
      if (Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) {
        enqueue.accept(ObjectKeys.key(d));
      }
    }
  }

  private Optional<String> controllingDeployment(HasMetadata rs) {
    return OwnerRefs.controllerOf(rs).filter(ref -> "Deployment".equals(ref.getKind()))
        .map(ref -> ObjectKeys.key(rs.getMetadata().getNamespace(), ref.getName()));
  }
}
