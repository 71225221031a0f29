package io.berth.scheduler.controller;

import io.berth.client.Resource;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.queue.PerKeyBackoff;
import io.berth.scheduler.framework.ClusterSnapshot;
import io.berth.scheduler.framework.ScheduleResult;
import io.berth.scheduler.framework.Scheduler;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places pending pods: one worker, so each cycle sees the assumptions of the one before.
 *
 * <pre>
 * reconcile(pod key):
 *   gone, bound, being deleted, another scheduler's, or already assumed -> done
 *   snapshot = cached nodes + cached pods overlaid with the assumed ones
 *   Scheduled(node)      -> assume it there; POST pods/{name}/binding; Event Scheduled
 *                           bind failed: forget the assumption, Event FailedScheduling, throw (retried with back-off)
 *   Unschedulable(msg)   -> PodScheduled=False Unschedulable msg (updateStatus, when it changed);
 *                           Event FailedScheduling; look again after the pod's back-off
 * </pre>
 *
 * A node added or changed (spec, readiness, allocatable), or a bound pod deleted, puts every
 * pending pod back in the queue at once.
 */
public final class SchedulerController implements Controller {
  static final Set<String> SCHEDULER_NAMES = Set.of("default-scheduler", "berth");
  private static final Logger log = LoggerFactory.getLogger(SchedulerController.class);

  private final SharedInformer<Pod> pods;
  private final SharedInformer<Node> nodes;
  private final Scheduler scheduler;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  public SchedulerController(SharedInformers informers, Scheduler scheduler, Duration initialBackoff, Duration maxBackoff) {
    this.pods = informers.forResource(Resource.POD);
    this.nodes = informers.forResource(Resource.NODE);
    this.scheduler = scheduler;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  @Override
  public String name() {
    return "scheduler";
  }

  @Override
  public int workers() {
    return 1;
  }

  @Override
  public Reconciler start(ControllerContext context) {
    AssumedPods assumed = new AssumedPods();
    PerKeyBackoff backoff = new PerKeyBackoff(initialBackoff, maxBackoff);
    context.subscribe(pods, new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        seen(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        assumed.observed(after);
        // Our own status write (PodScheduled=False) must not undo the back-off: only a new spec or labels count.
        boolean changed = !Objects.equals(before.getSpec(), after.getSpec())
            || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels());
        if (changed && isPendingForUs(after)) {
          context.queue().add(ObjectKeys.key(after));
        }
      }

      @Override
      public void onDelete(Pod lastKnown) {
        assumed.forget(ObjectKeys.key(lastKnown));
        backoff.forget(ObjectKeys.key(lastKnown));
        if (lastKnown.getSpec() != null && lastKnown.getSpec().getNodeName() != null) {
          requeuePending(context);                                  // room freed on its node
        }
      }

      private void seen(Pod pod) {
        assumed.observed(pod);
        if (isPendingForUs(pod)) {
          context.queue().add(ObjectKeys.key(pod));
        }
      }
    });
    context.subscribe(nodes, new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        requeuePending(context);
      }

      @Override
      public void onUpdate(Node before, Node after) {
        // Heartbeats change only timestamps: they give no pod a new chance.
        if (!Objects.equals(before.getSpec(), after.getSpec()) || !schedulingFacts(before).equals(schedulingFacts(after))) {
          requeuePending(context);
        }
      }
    });
    return key -> reconcile(context, assumed, backoff, key);
  }

  private Result reconcile(ControllerContext context, AssumedPods assumed, PerKeyBackoff backoff, String key) {
    Pod pod = pods.cache().getByKey(key).orElse(null);
    if (pod == null || !isPendingForUs(pod) || assumed.isAssumed(key)) {
      return Result.done();
    }
    ClusterSnapshot snapshot = new ClusterSnapshot(nodes.cache().list(), assumed.overlay(pods.cache().list()));
    ScheduleResult result = scheduler.schedule(pod, snapshot);
    if (result instanceof ScheduleResult.Scheduled scheduled) {
      bind(context, assumed, pod, scheduled.node());
      backoff.forget(key);
      return Result.done();
    }
    String message = ((ScheduleResult.Unschedulable) result).message();
    context.events().warning(pod, "FailedScheduling", message);
    PodConditions.markUnschedulable(context.client(), pod, message, context.clock().instant());
    return Result.requeueAfter(backoff.when(key));
  }

  private static void bind(ControllerContext context, AssumedPods assumed, Pod pod, String node) {
    String key = ObjectKeys.key(pod);
    assumed.assume(pod, node);
    try {
      context.client().post(bindingPath(pod), binding(pod, node), Status.class);
    } catch (RuntimeException failed) {
      assumed.forget(key);
      context.events().warning(pod, "FailedScheduling", "Binding rejected: " + failed.getMessage());
      throw failed;
    }
    log.debug("bound {} to {}", key, node);
    context.events().normal(pod, "Scheduled", "Successfully assigned " + key + " to " + node);
  }

  private static String schedulingFacts(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return "";
    }
    return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus()).findFirst().orElse(null) + "/" + node.getStatus().getAllocatable();
  }

  private void requeuePending(ControllerContext context) {
    pods.cache().list().stream().filter(SchedulerController::isPendingForUs)
        .forEach(pod -> context.queue().add(ObjectKeys.key(pod)));
  }

  /** Not bound, not being deleted, and asking for this scheduler (no name means the default). */
  static boolean isPendingForUs(Pod pod) {
    if (pod.getSpec() == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    String nodeName = pod.getSpec().getNodeName();
    String schedulerName = pod.getSpec().getSchedulerName();
    return (nodeName == null || nodeName.isEmpty())
        && (schedulerName == null || schedulerName.isEmpty() || SCHEDULER_NAMES.contains(schedulerName));
  }

  static String bindingPath(Pod pod) {
    return "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName() + "/binding";
  }

  static Binding binding(Pod pod, String node) {
    return new BindingBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid()).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
        .build();
  }
}
