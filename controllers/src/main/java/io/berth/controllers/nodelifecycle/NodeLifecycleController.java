package io.berth.controllers.nodelifecycle;

import io.berth.client.ApiException;
import io.berth.client.Resource;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.berth.client.events.EventRecorder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Watches node heartbeats (Leases in kube-node-lease named as the node, and the Ready
 * condition's heartbeat), marks silent nodes Unknown, taints them NoExecute, and evicts
 * their pods once their tolerations run out (see {@link NodeLifecycleDecision}).
 *
 * <pre>
 * reconcile(node):
 *   seen = when the node's heartbeat last changed (this controller's clock)
 *   plan = NodeLifecycleDecision.plan(node, its pods, seen, now, settings, evictions allowed?)  // pure
 *   mark the conditions Unknown                      (event NodeNotReady)
 *   take off taints Ready no longer calls for         (event NodeReady / TaintRemoved)
 *   add the NoExecute taint, if the eviction rate allows (event TaintAdded), else look again later
 *   delete the pods whose toleration ran out          (event TaintManagerEviction on the pod)
 * </pre>
 */
public final class NodeLifecycleController implements Controller {
  static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
  /** Pods by spec.nodeName (shared with pod GC). */
  public static final String NODE_INDEX = "spec.nodeName";

  private final NodeLifecycleSettings settings;
  private final SharedInformer<Node> nodes;
  private final SharedInformer<Lease> leases;
  private final SharedInformer<Pod> pods;

  public NodeLifecycleController(SharedInformers informers, NodeLifecycleSettings settings) {
    this.settings = settings;
    this.nodes = informers.forResource(Resource.NODE);
    this.leases = informers.forResource(Resource.LEASE);
    this.pods = informers.forResource(Resource.POD).index(NODE_INDEX, NodeLifecycleController::nodeOf);
  }

  @Override
  public String name() {
    return "nodelifecycle";
  }

  @Override
  public Reconciler start(ControllerContext context) {
    Term term = new Term(context);
    context.subscribe(nodes, handler(n -> List.of(n.getMetadata().getName()), context));
    context.subscribe(leases, handler(l -> NODE_LEASE_NAMESPACE.equals(l.getMetadata().getNamespace())
        ? List.of(l.getMetadata().getName()) : List.of(), context));
    context.subscribe(pods, handler(NodeLifecycleController::nodeOf, context));
    return term::reconcile;
  }

  /** One leadership term: heartbeats seen and the eviction bucket start fresh. */
  private final class Term {
    private final ControllerContext context;
    private final EventRecorder events;
    private final Heartbeats heartbeats = new Heartbeats();
    private final EvictionLimiter limiter = new EvictionLimiter();

    Term(ControllerContext context) {
      this.context = context;
      this.events = context.events();
    }

    Result reconcile(String name) {
      Node node = nodes.cache().get(null, name).orElse(null);
      if (node == null) {
        heartbeats.forget(name);
        return Result.done();
      }
      Instant now = context.clock().instant();
      Instant seen = heartbeats.observe(name, heartbeat(node), now);
      Disruption disruption = Disruption.of(nodes.cache().list(), settings.unhealthyThreshold());
      NodePlan plan = NodeLifecycleDecision.plan(node, pods.cache().byIndex(NODE_INDEX, name), seen, now, settings,
          disruption != Disruption.FULL);

      Node current = node;
      if (plan.marksUnknown()) {
        current = context.client().resource(Resource.NODE).updateStatus(new NodeBuilder(current).editStatus()
            .withConditions(plan.conditions()).endStatus().build());
        events.warning(current, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
      }
      Result result = plan.recheckAfter() == null ? Result.done() : Result.requeueAfter(plan.recheckAfter());
      List<Taint> before = current.getSpec() == null || current.getSpec().getTaints() == null ? List.of()
          : current.getSpec().getTaints();
      List<Taint> taints = new ArrayList<>(before);
      taints.removeAll(plan.removeTaints());
      if (plan.addTaint() != null) {
        Optional<Duration> wait = limiter.tryTake(now, disruption.rate(settings));
        if (wait.isEmpty()) {
          taints.add(plan.addTaint());
        } else {
          result = result.sooner(Result.requeueAfter(wait.get()));
        }
      }
      if (!taints.equals(before)) {
        context.client().resource(Resource.NODE).update(new NodeBuilder(current).editSpec().withTaints(taints)
            .endSpec().build());
        recordTaintEvents(current, plan, taints);
      }
      for (Pod pod : plan.evict()) {
        evict(pod, name);
      }
      return result;
    }

    private void recordTaintEvents(Node node, NodePlan plan, List<Taint> taints) {
      for (Taint removed : plan.removeTaints()) {
        events.normal(node, "TaintRemoved", "Removed taint " + removed.getKey() + ":" + removed.getEffect());
      }
      if (!plan.removeTaints().isEmpty() && NodeConditions.isReady(node)) {
        events.normal(node, "NodeReady", "Node " + node.getMetadata().getName() + " status is now: NodeReady");
      }
      if (plan.addTaint() != null && taints.contains(plan.addTaint())) {
        events.warning(node, "TaintAdded", "Added taint " + plan.addTaint().getKey() + ":NoExecute");
      }
    }

    private void evict(Pod pod, String node) {
      try {
        context.client().resource(Resource.POD).inNamespace(pod.getMetadata().getNamespace())
            .delete(pod.getMetadata().getName(), new DeleteOptionsBuilder().withNewPreconditions()
                .withUid(pod.getMetadata().getUid()).endPreconditions().build());
        events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + pod.getMetadata().getNamespace()
            + "/" + pod.getMetadata().getName() + " (node " + node + " is tainted)");
      } catch (ApiException e) {
        // Gone already, or another pod of that name: nothing to evict.
        if (!e.isNotFound() && !e.isConflict()) {
          throw e;
        }
      }
    }

    /** The node's heartbeat as a value that changes whenever the agent heartbeats. */
    private String heartbeat(Node node) {
      String renewed = leases.cache().get(NODE_LEASE_NAMESPACE, node.getMetadata().getName())
          .map(l -> l.getSpec() == null ? null : String.valueOf(l.getSpec().getRenewTime())).orElse(null);
      String reported = NodeConditions.ready(node).map(c -> c.getLastHeartbeatTime()).orElse(null);
      return renewed + "|" + reported;
    }
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> handler(
      java.util.function.Function<T, List<String>> nodeNames, ControllerContext context) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        nodeNames.apply(object).forEach(context.queue()::add);
      }

      @Override
      public void onUpdate(T before, T after) {
        nodeNames.apply(after).forEach(context.queue()::add);
      }

      @Override
      public void onDelete(T object) {
        nodeNames.apply(object).forEach(context.queue()::add);
      }
    };
  }

  static List<String> nodeOf(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node == null || node.isEmpty() ? List.of() : List.of(node);
  }
}
