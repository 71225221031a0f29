package io.berth.scheduler.runtime;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.SharedInformer;
import io.berth.client.events.ApiEventRecorder;
import io.berth.client.events.EventRecorder;
import io.berth.scheduler.cache.SchedulerCache;
import io.berth.scheduler.framework.ScheduleResult;
import io.berth.scheduler.framework.Scheduler;
import io.berth.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership term of the scheduler: the queue fed by the informers, one loop that decides,
 * and the binds it sends.
 *
 * <pre>
 * loop: pop a pod key
 *   gone, bound, being deleted, another scheduler's, or its bind still under way -> done
 *   result = algorithm(pod, cache snapshot)
 *   Scheduled(node)     -> assume it there (it counts at once), send the bind without waiting:
 *                            ok      -> the assumption waits for the informer; Event Scheduled
 *                            refused -> forget the assumption; back-off; Event FailedScheduling
 *   Unschedulable(msg)  -> unschedulable queue; PodScheduled=False Unschedulable msg; Event FailedScheduling
 * </pre>
 *
 * A pod is never bound twice: the API binds only an unbound pod with the binding's uid, in one
 * store txn, and every write carries the term's fencing token.
 */
final class SchedulingTerm {
  private static final Logger log = LoggerFactory.getLogger(SchedulingTerm.class);
  private static final Duration POP_WAIT = Duration.ofMillis(500);

  private final SharedInformer<Pod> pods;
  private final SchedulerCache cache;
  private final Scheduler algorithm;
  private final SchedulerMetrics metrics;
  private final Client writer;
  private final Clock clock;
  private final SchedulingQueue queue;
  private final EventRecorder events;
  private final Semaphore bindSlots;
  private final ExecutorService writes = Executors.newVirtualThreadPerTaskExecutor();
  private final ResourceEventHandler<Pod> podEvents;
  private final ResourceEventHandler<Node> nodeEvents;
  private final SharedInformer<Node> nodes;
  private final Thread loop;
  private volatile boolean stopping;

  private SchedulingTerm(SharedInformer<Pod> pods, SharedInformer<Node> nodes, SchedulerCache cache,
      Scheduler algorithm, SchedulerSettings settings, SchedulerMetrics metrics, Client writer, Clock clock) {
    this.pods = pods;
    this.nodes = nodes;
    this.cache = cache;
    this.algorithm = algorithm;
    this.metrics = metrics;
    this.writer = writer;
    this.clock = clock;
    this.queue = new SchedulingQueue(settings.initialBackoff(), settings.maxBackoff(),
        settings.unschedulableTimeout(), System::nanoTime);
    this.events = new ApiEventRecorder(writer, "default-scheduler", clock);
    this.bindSlots = new Semaphore(settings.maxInFlightBinds());
    this.podEvents = new PodEvents();
    this.nodeEvents = new NodeEvents();
    this.loop = Thread.ofPlatform().name("scheduler-loop").daemon().unstarted(this::run);
  }

  static SchedulingTerm start(SharedInformer<Pod> pods, SharedInformer<Node> nodes, SchedulerCache cache,
      Scheduler algorithm, SchedulerSettings settings, SchedulerMetrics metrics, Client writer, Clock clock) {
    SchedulingTerm term = new SchedulingTerm(pods, nodes, cache, algorithm, settings, metrics, writer, clock);
    metrics.watch(term.queue);
    pods.addListener(term.podEvents);       // replays every cached pod: the pending ones are queued
    nodes.addListener(term.nodeEvents);
    term.loop.start();
    return term;
  }

  void stop() {
    stopping = true;
    pods.removeListener(podEvents);
    nodes.removeListener(nodeEvents);
    queue.close();
    loop.interrupt();
    try {
      loop.join(Duration.ofSeconds(5));
      writes.shutdownNow();
      writes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.close();
    cache.forgetAll();
    metrics.watch(null);
  }

  private void run() {
    long lastExpiry = System.nanoTime();
    while (!stopping) {
      try {
        SchedulingQueue.Popped popped = queue.pop(POP_WAIT);
        if (System.nanoTime() - lastExpiry > POP_WAIT.toNanos()) {
          lastExpiry = System.nanoTime();
          int expired = cache.expireAssumed(lastExpiry);
          if (expired > 0) {
            log.warn("{} assumed pod(s) never showed up bound in the informer; their room is free again", expired);
          }
        }
        if (popped != null) {
          scheduleOne(popped);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("scheduling cycle failed", e);
      }
    }
  }

  private void scheduleOne(SchedulingQueue.Popped popped) throws InterruptedException {
    String key = popped.key();
    Pod pod = pods.cache().getByKey(key).orElse(null);
    if (pod == null || !PendingPods.isPendingForUs(pod) || cache.isAssumed(key)) {
      queue.done(key);
      return;
    }
    long start = System.nanoTime();
    ScheduleResult result = algorithm.schedule(pod, cache.snapshot());
    long decided = System.nanoTime();
    if (result instanceof ScheduleResult.Scheduled scheduled) {
      metrics.algorithmTook(start, decided);
      cache.assume(pod, scheduled.node());
      bindSlots.acquire();
      writes.execute(() -> bind(pod, scheduled.node(), popped));
    } else {
      String message = ((ScheduleResult.Unschedulable) result).message();
      metrics.unschedulable(start, decided);
      queue.unschedulable(popped);
      log.debug("{} unschedulable: {}", key, message);
      events.warning(pod, "FailedScheduling", message);
      writes.execute(() -> markUnschedulable(pod, message));
    }
  }

  private void bind(Pod pod, String node, SchedulingQueue.Popped popped) {
    String key = popped.key();
    long start = System.nanoTime();
    try {
      writer.post(PendingPods.bindingPath(pod), PendingPods.binding(pod, node), Status.class);
      long now = System.nanoTime();
      cache.bound(key, now);
      queue.done(key);
      metrics.bound(popped.firstQueuedNanos(), start, now);
      events.normal(pod, "Scheduled", "Successfully assigned " + key + " to " + node);
    } catch (RuntimeException failed) {
      cache.forget(key);
      metrics.error();
      if (!stopping) {
        queue.retryLater(key);
      }
      if (failed instanceof ApiException api && api.isConflict()) {
        // Bound already (by an earlier term, whose informer news has not reached us), or this
        // term was deposed: the informer settles which, and nothing was written twice.
        log.info("binding {} to {} refused: {}", key, node, api.getMessage());
      } else if (!stopping) {
        log.warn("binding {} to {} failed: {}", key, node, failed.toString());
        events.warning(pod, "FailedScheduling", "Binding rejected: " + failed.getMessage());
      }
    } finally {
      bindSlots.release();
    }
  }

  private void markUnschedulable(Pod pod, String message) {
    try {
      PodConditions.markUnschedulable(writer, pod, message, clock.instant());
    } catch (RuntimeException e) {
      if (!stopping) {
        log.warn("PodScheduled condition of {} not written: {}", ObjectKeys.key(pod), e.toString());
      }
    }
  }

  /** Pending pods enter the queue; bound or deleted ones leave it; freed room moves the unschedulable. */
  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (PendingPods.isPendingForUs(pod)) {
        queue.add(ObjectKeys.key(pod));
      }
    }

    @Override
    public void onUpdate(Pod before, Pod after) {
      String key = ObjectKeys.key(after);
      if (!PendingPods.isPendingForUs(after)) {
        queue.delete(key);
        if (PendingPods.holdsRoom(before) && !PendingPods.holdsRoom(after)) {
          queue.moveAllToActiveOrBackoff();                   // it finished: its room is free
        }
      } else if (PendingPods.schedulingRelevantChange(before, after)) {
        queue.add(key);
      }
    }

    @Override
    public void onDelete(Pod lastKnown) {
      queue.delete(ObjectKeys.key(lastKnown));
      if (PendingPods.holdsRoom(lastKnown)) {
        queue.moveAllToActiveOrBackoff();
      }
    }
  }

  /** A node added, or changed in what scheduling looks at (not its heartbeats), may fit someone. */
  private final class NodeEvents implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node node) {
      queue.moveAllToActiveOrBackoff();
    }

    @Override
    public void onUpdate(Node before, Node after) {
      if (!Objects.equals(before.getSpec(), after.getSpec())
          || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
          || !schedulingFacts(before).equals(schedulingFacts(after))) {
        queue.moveAllToActiveOrBackoff();
      }
    }

    private static String schedulingFacts(Node node) {
      if (node.getStatus() == null) {
        return "";
      }
      String ready = node.getStatus().getConditions() == null ? null : node.getStatus().getConditions().stream()
          .filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse(null);
      return ready + "/" + node.getStatus().getAllocatable();
    }
  }
}
