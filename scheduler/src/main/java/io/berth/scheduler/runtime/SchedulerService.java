package io.berth.scheduler.runtime;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.berth.scheduler.cache.SchedulerCache;
import io.berth.scheduler.filters.DefaultFilters;
import io.berth.scheduler.framework.Scheduler;
import io.berth.scheduler.scores.DefaultScores;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of one {@code berth server}, across leadership terms:
 *
 * <pre>
 *   new SchedulerService(informers, ...)   always, on every replica: the cache follows the
 *                                          informers, so a standby is warm when it takes over
 *   start(writer)                          this replica won the election; writer carries the
 *                                          fencing token, so nothing a deposed term sends lands
 *   stop()                                 it lost (or shuts down); can start again later
 * </pre>
 *
 * Each term has its own queue, loop and binds ({@link SchedulingTerm}); the cache outlives
 * terms, except for assumptions, which a new term does not inherit.
 */
public final class SchedulerService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);

  private final SharedInformers informers;
  private final SharedInformer<Pod> pods;
  private final SharedInformer<Node> nodes;
  private final Scheduler algorithm;
  private final SchedulerSettings settings;
  private final Clock clock;
  private final SchedulerMetrics metrics;
  private final SchedulerCache cache;
  private SchedulingTerm term;

  public SchedulerService(SharedInformers informers, SchedulerSettings settings, PrometheusRegistry registry,
      Clock clock) {
    this(informers, new Scheduler(DefaultFilters.all(), DefaultScores.all()), settings, registry, clock);
  }

  public SchedulerService(SharedInformers informers, Scheduler algorithm, SchedulerSettings settings,
      PrometheusRegistry registry, Clock clock) {
    this.informers = informers;
    this.pods = informers.forResource(Resource.POD);
    this.nodes = informers.forResource(Resource.NODE);
    this.algorithm = algorithm;
    this.settings = settings;
    this.clock = clock;
    this.cache = new SchedulerCache(settings.assumedTtl());
    this.metrics = new SchedulerMetrics(registry, cache::assumedCount);
    // Registered before any term's listeners, so the cache has seen an event before the
    // queue reacts to it.
    pods.addListener(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        cache.podChanged(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        cache.podChanged(after);
      }

      @Override
      public void onDelete(Pod lastKnown) {
        cache.podDeleted(lastKnown);
      }
    });
    nodes.addListener(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        cache.nodeChanged(node);
      }

      @Override
      public void onUpdate(Node before, Node after) {
        cache.nodeChanged(after);
      }

      @Override
      public void onDelete(Node lastKnown) {
        cache.nodeDeleted(lastKnown);
      }
    });
  }

  /** Starts scheduling, writing through {@code writer}; returns once the loop runs. */
  public synchronized void start(Client writer) throws InterruptedException {
    if (term != null) {
      throw new IllegalStateException("the scheduler is running already");
    }
    informers.start();
    if (!informers.awaitSynced(settings.syncTimeout())) {
      throw new IllegalStateException("the scheduler's informers did not sync within " + settings.syncTimeout());
    }
    term = SchedulingTerm.start(pods, nodes, cache, algorithm, settings, metrics, writer, clock);
    log.info("scheduler started");
  }

  /** Stops scheduling; a no-op when not running. */
  public synchronized void stop() {
    if (term == null) {
      return;
    }
    term.stop();
    term = null;
    log.info("scheduler stopped");
  }

  public synchronized boolean isRunning() {
    return term != null;
  }

  @Override
  public void close() {
    stop();
  }
}
