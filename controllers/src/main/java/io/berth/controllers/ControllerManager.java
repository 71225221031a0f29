package io.berth.controllers;

import io.berth.client.Client;
import io.berth.client.events.EventRecorder;
import io.berth.client.events.ApiEventRecorder;
import io.berth.controllers.queue.RateLimiter;
import io.berth.controllers.queue.WorkQueue;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops every controller together, once per leadership term:
 *
 * <pre>
 *   informers.start()          always, on every replica: warm caches on standbys
 *   manager.start(client)      this replica won the election; client carries the fencing token
 *   manager.stop()             it lost (or is shutting down); can be started again later
 * </pre>
 *
 * <p>A start waits for the informers' first lists, subscribes each controller (which
 * enqueues every cached object), then starts the workers. A stop shuts the queues,
 * unsubscribes, waits briefly for reconciles in progress and drops per-term state, so a
 * later term starts clean. Writes a stopped term still has in flight are refused by fencing.
 */
public final class ControllerManager {
  private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);

  private final SharedInformers informers;
  private final List<Controller> controllers;
  private final ControllerMetrics metrics;
  private final Clock clock;
  private final Duration syncTimeout;
  private final Duration stopGrace;
  private final Supplier<RateLimiter> rateLimiters;
  private final List<Term> running = new ArrayList<>();
  private final List<EventRecorder> recorders = new ArrayList<>();

  private record Term(ControllerRunner runner, ControllerContext context) {}

  private ControllerManager(Builder builder) {
    this.informers = builder.informers;
    this.controllers = List.copyOf(builder.controllers);
    this.metrics = new ControllerMetrics(builder.registry);
    this.clock = builder.clock;
    this.syncTimeout = builder.syncTimeout;
    this.stopGrace = builder.stopGrace;
    this.rateLimiters = builder.rateLimiters;
  }

  public static Builder builder(SharedInformers informers) {
    return new Builder(informers);
  }

  /**
   * Starts every controller, writing through {@code writer}. Returns once the workers run.
   *
   * @throws IllegalStateException if already running, or the caches did not sync in time
   */
  public synchronized void start(Client writer) throws InterruptedException {
    if (!running.isEmpty()) {
      throw new IllegalStateException("the controller manager is running already");
    }
    informers.start();
    if (!informers.awaitSynced(syncTimeout)) {
      throw new IllegalStateException("the informers did not sync within " + syncTimeout);
    }
    for (Controller controller : controllers) {
      String name = controller.name();
      WorkQueue queue = new WorkQueue(name, rateLimiters.get(), depth -> metrics.depth(name, depth));
      EventRecorder events = new ApiEventRecorder(writer, name + "-controller", clock);
      recorders.add(events);
      ControllerContext context = new ControllerContext(writer, queue, events, clock);
      Reconciler reconciler = controller.start(context);
      running.add(new Term(new ControllerRunner(name, queue, reconciler, metrics), context));
    }
    // Workers only after every controller has subscribed and enqueued its cache, so no
    // reconcile runs on a half-wired manager.
    for (int i = 0; i < running.size(); i++) {
      running.get(i).runner().start(controllers.get(i).workers());
    }
    log.info("controllers started: {}", controllers.stream().map(Controller::name).toList());
  }

  /** Stops every controller; a no-op when not running. */
  public synchronized void stop() {
    if (running.isEmpty()) {
      return;
    }
    for (Term term : running) {
      term.context().unsubscribeAll();
      term.runner().stop(stopGrace);
    }
    recorders.forEach(EventRecorder::close);
    recorders.clear();
    running.clear();
    log.info("controllers stopped");
  }

  public synchronized boolean isRunning() {
    return !running.isEmpty();
  }

  public static final class Builder {
    private final SharedInformers informers;
    private final List<Controller> controllers = new ArrayList<>();
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private Clock clock = Clock.systemUTC();
    private Duration syncTimeout = Duration.ofSeconds(60);
    private Duration stopGrace = Duration.ofSeconds(5);
    private Supplier<RateLimiter> rateLimiters = () -> RateLimiter.controllerDefault(Duration.ofSeconds(60));

    private Builder(SharedInformers informers) {
      this.informers = informers;
    }

    public Builder controller(Controller controller) {
      controllers.add(controller);
      return this;
    }

    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How long a start waits for the informers' first lists (default 60 s). */
    public Builder syncTimeout(Duration timeout) {
      this.syncTimeout = timeout;
      return this;
    }

    /** How long a stop waits for reconciles in progress before interrupting them (default 5 s). */
    public Builder stopGrace(Duration grace) {
      this.stopGrace = grace;
      return this;
    }

    /** A fresh rate limiter per controller and term (default: {@link RateLimiter#controllerDefault}, cap 60 s). */
    public Builder rateLimiters(Supplier<RateLimiter> limiters) {
      this.rateLimiters = limiters;
      return this;
    }

    public ControllerManager build() {
      return new ControllerManager(this);
    }
  }
}
