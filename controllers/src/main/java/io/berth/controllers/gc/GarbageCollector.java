package io.berth.controllers.gc;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.client.ApiException;
import io.berth.client.PatchType;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.client.transport.Json;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.workload.OwnerRefs;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes what its owners no longer hold, and carries out foreground and orphan deletions
 * (see {@link GcDecision}); the API server adds the foregroundDeletion or orphan finalizer
 * when a delete asks for that propagationPolicy.
 *
 * <pre>
 * reconcile(kind|namespace/name):
 *   owners = the state of each owner: in the cache, else asked of the API (a cache that has
 *            not seen a new owner yet must not get its dependents deleted)
 *   plan = GcDecision.plan(object, its dependents, owners)        // pure
 *   Orphan:      take the owner's references off each dependent, then the orphan finalizer off the owner
 *   Foreground:  delete the dependents (Foreground), then the finalizer once nothing blocks
 *   DeleteSelf:  delete the object, preconditioned on its uid
 *   DropOwners:  patch the absent owners' references off
 * </pre>
 */
public final class GarbageCollector implements Controller {
  private final OwnerGraph graph;

  public GarbageCollector(SharedInformers informers) {
    this.graph = new OwnerGraph(informers);
  }

  @Override
  public String name() {
    return "garbagecollector";
  }

  @Override
  public Reconciler start(ControllerContext context) {
    graph.informers().forEach((resource, informer) -> subscribe(context, resource, informer));
    return key -> reconcile(context, key);
  }

  private <T extends HasMetadata> void subscribe(ControllerContext context, Resource<?> resource,
      io.berth.controllers.SharedInformer<T> informer) {
    context.subscribe(informer, new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        changed(after);
        ownersWaiting(before);
      }

      @Override
      public void onDelete(T object) {
        // Its dependents may be orphans now; owners waiting for it may go.
        graph.dependentsOf(object.getMetadata().getUid()).forEach(d -> context.queue().add(d.key()));
        ownersWaiting(object);
      }

      private void changed(T object) {
        if (!OwnerGraph.owners(object).isEmpty() || GcDecision.isDeleting(object)) {
          context.queue().add(Keys.of(resource, object));
        }
        ownersWaiting(object);
      }

      /** Owners being deleted wait for their dependents: tell them about this one. */
      private void ownersWaiting(T object) {
        for (OwnerReference ref : OwnerGraph.owners(object)) {
          graph.byUid(ref.getUid()).filter(owner -> GcDecision.isDeleting(owner.object()))
              .ifPresent(owner -> context.queue().add(owner.key()));
        }
      }
    });
  }

  private Result reconcile(ControllerContext context, String key) throws JsonProcessingException {
    Resource<?> resource = OwnerGraph.KINDS.stream().filter(r -> r.plural().equals(Keys.plural(key))).findFirst()
        .orElseThrow();
    HasMetadata object = graph.get(resource, Keys.objectKey(key)).orElse(null);
    if (object == null) {
      return Result.done();
    }
    List<HasMetadata> dependents = graph.dependentsOf(object.getMetadata().getUid()).stream()
        .map(OwnerGraph.Node::object).toList();
    GcPlan plan = GcDecision.plan(object, dependents, ownerStates(context, object));
    switch (plan) {
      case GcPlan.Nothing nothing -> { }
      case GcPlan.Orphan orphan -> {
        for (HasMetadata dependent : orphan.dependents()) {
          setOwners(context, dependent, OwnerRefs.withoutOwner(dependent, object.getMetadata().getUid()));
        }
        removeFinalizer(context, object, GcDecision.ORPHAN);
      }
      case GcPlan.Foreground foreground -> {
        for (HasMetadata dependent : foreground.delete()) {
          delete(context, dependent, "Foreground");
        }
        if (foreground.removeFinalizer()) {
          removeFinalizer(context, object, GcDecision.FOREGROUND);
        }
      }
      case GcPlan.DeleteSelf self -> delete(context, object, self.propagationPolicy());
      case GcPlan.DropOwners drop -> {
        List<OwnerReference> kept = OwnerGraph.owners(object).stream()
            .filter(r -> !drop.uids().contains(r.getUid())).toList();
        setOwners(context, object, kept);
      }
    }
    return Result.done();
  }

  /**
   * Each owner's state. One missing from the cache is looked up through the API before it
   * counts as absent: the cache may simply not have seen it yet.
   */
  private Map<String, GcDecision.OwnerState> ownerStates(ControllerContext context, HasMetadata object) {
    Map<String, GcDecision.OwnerState> states = new LinkedHashMap<>();
    for (OwnerReference ref : OwnerGraph.owners(object)) {
      Optional<Resource<?>> kind = OwnerGraph.resourceOf(ref);
      if (kind.isEmpty()) {
        // A kind the collector does not follow: it cannot tell, so it keeps the dependent.
        states.put(ref.getUid(), GcDecision.OwnerState.PRESENT);
        continue;
      }
      HasMetadata owner = graph.byUid(ref.getUid()).map(OwnerGraph.Node::object)
          .orElseGet(() -> liveOwner(context, kind.get(), object, ref));
      states.put(ref.getUid(), GcDecision.stateOf(owner));
    }
    return states;
  }

  private static HasMetadata liveOwner(ControllerContext context, Resource<?> kind, HasMetadata dependent,
      OwnerReference ref) {
    String namespace = dependent.getMetadata().getNamespace();
    if (kind.namespaced() && (namespace == null || namespace.isEmpty())) {
      return null;
    }
    ResourceClient<?> api = context.client().resource(kind);
    HasMetadata live = (kind.namespaced() ? api.inNamespace(namespace) : api).get(ref.getName()).orElse(null);
    return live != null && ref.getUid().equals(live.getMetadata().getUid()) ? live : null;
  }

  private static void delete(ControllerContext context, HasMetadata object, String policy) {
    try {
      client(context, object).delete(object.getMetadata().getName(), new DeleteOptionsBuilder()
          .withPropagationPolicy(policy).withNewPreconditions().withUid(object.getMetadata().getUid())
          .endPreconditions().build());
      context.events().normal(object, "GarbageCollected", "Deleted by the garbage collector (" + policy + ")");
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }

  /** Writes ownerReferences, conditioned on the version decided on (a change meanwhile is decided again). */
  private static void setOwners(ControllerContext context, HasMetadata object, List<OwnerReference> owners)
      throws JsonProcessingException {
    patchMetadata(context, object, Map.of("ownerReferences", owners,
        "resourceVersion", object.getMetadata().getResourceVersion()));
  }

  private static void removeFinalizer(ControllerContext context, HasMetadata object, String finalizer) throws JsonProcessingException {
    List<String> left = object.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer)).toList();
    patchMetadata(context, object, Map.of("finalizers", left,
        "resourceVersion", object.getMetadata().getResourceVersion()));
  }

  private static void patchMetadata(ControllerContext context, HasMetadata object, Map<String, Object> metadata)
      throws JsonProcessingException {
    try {
      client(context, object).patch(object.getMetadata().getName(), PatchType.MERGE,
          Json.MAPPER.writeValueAsString(Map.of("metadata", metadata)));
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  private static ResourceClient<?> client(ControllerContext context, HasMetadata object) {
    // By class, not by the kind field: objects in list answers may not carry their kind.
    Resource<?> resource = OwnerGraph.KINDS.stream().filter(r -> r.type().isInstance(object)).findFirst()
        .orElseThrow(() -> new IllegalStateException("not a kind the collector follows: " + object.getClass()));
    ResourceClient<?> api = context.client().resource(resource);
    return resource.namespaced() ? api.inNamespace(object.getMetadata().getNamespace()) : api;
  }
}
