package io.berth.controllers.podgc;

import io.berth.client.ApiException;
import io.berth.client.Resource;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deletes finished pods beyond a threshold and pods left on nodes that are gone (see
 * {@link PodGcDecision}). One key for the whole population, looked at every period and
 * whenever a node is deleted.
 *
 * <pre>
 * reconcile("pods"):
 *   plan = PodGcDecision.plan(cached pods, cached node names, threshold)   // pure
 *   delete the finished pods beyond the threshold, oldest first
 *   for each pod on a missing node: ask the API whether the node exists (the cache may lag
 *     behind a node just registered); if not, delete the pod with grace 0
 *   look again after the period
 * </pre>
 */
public final class PodGarbageCollector implements Controller {
  static final String KEY = "pods";

  private final PodGcSettings settings;
  private final SharedInformer<Pod> pods;
  private final SharedInformer<Node> nodes;

  public PodGarbageCollector(SharedInformers informers, PodGcSettings settings) {
    this.settings = settings;
    this.pods = informers.forResource(Resource.POD);
    this.nodes = informers.forResource(Resource.NODE);
  }

  @Override
  public String name() {
    return "podgc";
  }

  @Override
  public int workers() {
    return 1;
  }

  @Override
  public Reconciler start(ControllerContext context) {
    context.subscribe(nodes, new ResourceEventHandler<>() {
      @Override
      public void onDelete(Node node) {
        context.queue().add(KEY);
      }
    });
    context.queue().add(KEY);
    return key -> reconcile(context);
  }

  private Result reconcile(ControllerContext context) {
    Set<String> nodeNames = nodes.cache().list().stream().map(n -> n.getMetadata().getName())
        .collect(Collectors.toSet());
    PodGcDecision.Plan plan = PodGcDecision.plan(pods.cache().list(), nodeNames, settings.terminatedThreshold());
    for (Pod pod : plan.terminated()) {
      delete(context, pod, null);
    }
    for (Pod pod : plan.orphaned()) {
      if (context.client().resource(Resource.NODE).get(pod.getSpec().getNodeName()).isEmpty()) {
        delete(context, pod, 0L);
      }
    }
    return Result.requeueAfter(settings.period());
  }

  private static void delete(ControllerContext context, Pod pod, Long grace) {
    try {
      context.client().resource(Resource.POD).inNamespace(pod.getMetadata().getNamespace())
          .delete(pod.getMetadata().getName(), new DeleteOptionsBuilder().withGracePeriodSeconds(grace)
              .withNewPreconditions().withUid(pod.getMetadata().getUid()).endPreconditions().build());
      context.events().normal(pod, "PodGarbageCollected", grace == null ? "Deleted: a finished pod beyond the "
          + "threshold" : "Deleted with grace 0: node " + pod.getSpec().getNodeName() + " no longer exists");
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }
}
