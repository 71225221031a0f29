package io.berth.controllers.namespace;

import io.berth.client.ApiException;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties a namespace being deleted, then lets it go (see {@link NamespaceDecision}). The API
 * server marks the namespace Terminating on delete and refuses new content in it; this
 * controller deletes every object of every namespaced kind and, once the API lists nothing,
 * updates spec.finalizers without "kubernetes", which finishes the delete.
 *
 * <pre>
 * reconcile(namespace):
 *   not being deleted, or no "kubernetes" finalizer   -> nothing
 *   content = every namespaced kind listed in it, from the API (not the caches: the
 *             namespace must not go while a cache still lags behind a create)
 *   plan = NamespaceDecision.plan(namespace, content)   // pure
 *   delete what is not being deleted yet (events per kind)
 *   something left (pods stopping, finalizers)          -> look again shortly
 *   nothing left                                         -> remove the finalizer
 * </pre>
 */
public final class NamespaceController implements Controller {
  /** Every namespaced kind Berth serves. */
  static final List<Resource<? extends HasMetadata>> CONTENT = List.of(Resource.DEPLOYMENT, Resource.REPLICA_SET,
      Resource.POD, Resource.SERVICE, Resource.ENDPOINTS, Resource.CONFIG_MAP, Resource.SECRET, Resource.INGRESS,
      Resource.LEASE, Resource.EVENT,
      // Left behind, a RoleBinding would grant its subjects a namespace re-created under the same name.
      Resource.ROLE_BINDING, Resource.ROLE);

  private final SharedInformer<Namespace> namespaces;
  private final Duration recheck;

  /** @param recheck how soon to look again while content is still going (e.g. pods stopping) */
  public NamespaceController(SharedInformers informers, Duration recheck) {
    this.namespaces = informers.forResource(Resource.NAMESPACE);
    this.recheck = recheck;
  }

  @Override
  public String name() {
    return "namespace";
  }

  @Override
  public Reconciler start(ControllerContext context) {
    context.subscribe(namespaces, new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace namespace) {
        context.queue().add(namespace.getMetadata().getName());
      }

      @Override
      public void onUpdate(Namespace before, Namespace after) {
        context.queue().add(after.getMetadata().getName());
      }
    });
    return name -> reconcile(context, name);
  }

  private Result reconcile(ControllerContext context, String name) {
    Namespace namespace = namespaces.cache().get(null, name).orElse(null);
    if (namespace == null || !NamespaceDecision.isTerminating(namespace)
        || !NamespaceDecision.holdsFinalizer(namespace)) {
      return Result.done();
    }
    NamespaceDecision.Plan plan = NamespaceDecision.plan(namespace, content(context, name));
    for (HasMetadata object : plan.delete()) {
      delete(context, name, object);
    }
    if (!plan.removeFinalizer()) {
      return Result.requeueAfter(recheck);
    }
    List<String> rest = namespace.getSpec().getFinalizers().stream()
        .filter(f -> !f.equals(NamespaceDecision.FINALIZER)).toList();
    // A copy of the cached object, at its version: a namespace changed meanwhile is a 409, retried.
    context.client().resource(Resource.NAMESPACE).update(new NamespaceBuilder(namespace).editSpec()
        .withFinalizers(rest).endSpec().build());
    return Result.done();
  }

  private static List<HasMetadata> content(ControllerContext context, String namespace) {
    List<HasMetadata> content = new ArrayList<>();
    for (Resource<? extends HasMetadata> kind : CONTENT) {
      content.addAll(context.client().resource(kind).inNamespace(namespace).list(ListOptions.ALL).items());
    }
    return content;
  }

  private static void delete(ControllerContext context, String namespace, HasMetadata object) {
    Resource<? extends HasMetadata> kind = CONTENT.stream().filter(r -> r.type().isInstance(object)).findFirst()
        .orElseThrow();
    ResourceClient<? extends HasMetadata> api = context.client().resource(kind).inNamespace(namespace);
    try {
      api.delete(object.getMetadata().getName(), new DeleteOptionsBuilder().withPropagationPolicy("Background")
          .withNewPreconditions().withUid(object.getMetadata().getUid()).endPreconditions().build());
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }
}
