package io.berth.client.informer;

import io.berth.client.ListOptions;
import io.berth.client.ResourceClient;
import io.berth.client.transport.Backoff;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A local, always-current copy of one kind's objects (in one namespace or all, optionally
 * filtered by label and field selectors), kept by list+watch, with change notifications.
 *
 * <pre>{@code
 * Informer<Pod> pods = Informer.builder(client.resource(Resource.POD))
 *     .indexer("node", pod -> List.of(pod.getSpec().getNodeName()))
 *     .handler(new ResourceEventHandler<>() {
 *       public void onAdd(Pod pod) { queue.add(ObjectKeys.key(pod)); }
 *     })
 *     .build();
 * pods.start();
 * pods.awaitSynced(Duration.ofSeconds(10));
 * List<Pod> onNode = pods.cache().byIndex("node", "node-1");
 * }</pre>
 *
 * <p>How it stays current: it lists (every page), fills the cache, then watches from the
 * list's resourceVersion; when the stream ends or its endpoint dies it watches again from
 * the last resourceVersion it saw (bookmarks included), on another endpoint if needed;
 * when that version has expired (410 Gone) it lists again, replaces the cache and
 * delivers the differences as add, update and delete, so a handler never misses a delete.
 *
 * <p>Threads: one reads the API, one ({@link ResourceEventHandler}) applies changes to
 * the cache and calls the handlers in order. The cache may be read from any thread.
 * Cached objects are shared and handed out as they are: never modify them.
 */
public final class Informer<T extends HasMetadata> implements AutoCloseable {
  private final ResourceClient<T> source;
  private final IndexedCache<T> cache;
  private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
  private final Dispatcher<T> dispatcher;
  private final Reflector<T> reflector;
  private final Duration resyncPeriod;
  private final Thread reader;

  private Informer(Builder<T> builder) {
    this.source = builder.source;
    this.cache = new IndexedCache<>(builder.indexers);
    this.handlers.addAll(builder.handlers);
    String name = "informer-" + source.resource().plural()
        + (source.namespace() == null ? "" : "-" + source.namespace());
    this.dispatcher = new Dispatcher<>(name + "-dispatch", cache, handlers);
    this.reflector = new Reflector<>(source, builder.options, builder.watchTimeout,
        new Backoff(builder.backoffBase, builder.backoffCap, RandomGenerator.getDefault()), dispatcher);
    this.resyncPeriod = builder.resyncPeriod;
    this.reader = Thread.ofPlatform().name(name + "-watch").daemon().unstarted(reflector);
  }

  /** An informer over {@code source}'s kind and namespace (all namespaces if it has none). */
  public static <T extends HasMetadata> Builder<T> builder(ResourceClient<T> source) {
    return new Builder<>(source);
  }

  /**
   * Adds a handler. Only before {@link #start()}: a handler added later would have
   * missed the objects already delivered.
   */
  public synchronized void addHandler(ResourceEventHandler<T> handler) {
    if (reader.getState() != Thread.State.NEW) {
      throw new IllegalStateException("handlers are added before the informer starts");
    }
    handlers.add(handler);
  }

  /** Starts listing and watching; returns at once (see {@link #awaitSynced}). */
  public synchronized void start() {
    if (reader.getState() != Thread.State.NEW) {
      throw new IllegalStateException("the informer was started already");
    }
    if (resyncPeriod != null) {
      dispatcher.resyncEvery(resyncPeriod);
    }
    reader.start();
  }

  /** The cache; its objects must not be modified. */
  public IndexedCache<T> cache() {
    return cache;
  }

  /** Whether the first list has reached the cache and the handlers. */
  public boolean hasSynced() {
    return dispatcher.hasSynced();
  }

  /** Waits until {@link #hasSynced()}; false if {@code timeout} passed first. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return dispatcher.awaitSynced(timeout);
  }

  /** Stops watching and dispatching; changes queued but not yet delivered are dropped. */
  @Override
  public synchronized void close() {
    reflector.stop(reader);
    dispatcher.close();
    try {
      // Its watch is closed and it is interrupted, so it ends promptly; waiting keeps it
      // from outliving the informer (and the client the caller closes next).
      reader.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static final class Builder<T extends HasMetadata> {
    private final ResourceClient<T> source;
    private ListOptions options = ListOptions.ALL.withLimit(500);
    private Duration watchTimeout = Duration.ofMinutes(5);
    private Duration resyncPeriod;
    private Duration backoffBase = Duration.ofMillis(100);
    private Duration backoffCap = Duration.ofSeconds(5);
    private final Map<String, Function<T, List<String>>> indexers = new LinkedHashMap<>();
    private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();

    private Builder(ResourceClient<T> source) {
      this.source = source;
    }

    public Builder<T> labelSelector(String selector) {
      options = options.withLabelSelector(selector);
      return this;
    }

    public Builder<T> fieldSelector(String selector) {
      options = options.withFieldSelector(selector);
      return this;
    }

    /** Objects per list page (default 500; 0: one page). */
    public Builder<T> pageSize(long size) {
      options = options.withLimit(size);
      return this;
    }

    /** How long the server keeps one watch stream open before the informer opens the next (default 5 min). */
    public Builder<T> watchTimeout(Duration timeout) {
      this.watchTimeout = timeout;
      return this;
    }

    /** Tell the handlers every cached object again (onUpdate(o, o)) this often; off by default. */
    public Builder<T> resyncPeriod(Duration period) {
      this.resyncPeriod = period;
      return this;
    }

    /** Waits between failed list/watch attempts (default 100 ms doubling to 5 s). */
    public Builder<T> backoff(Duration base, Duration cap) {
      this.backoffBase = base;
      this.backoffCap = cap;
      return this;
    }

    /**
     * An index named {@code name}: {@code values} gives the values an object is found
     * under (null or empty: none). It runs on the dispatch thread for every change, so
     * it should be cheap and must not modify the object.
     */
    public Builder<T> indexer(String name, Function<T, List<String>> values) {
      if (name.equals(IndexedCache.NAMESPACE_INDEX) || indexers.putIfAbsent(name, values) != null) {
        throw new IllegalArgumentException("index " + name + " is defined already");
      }
      return this;
    }

    public Builder<T> handler(ResourceEventHandler<T> handler) {
      handlers.add(handler);
      return this;
    }

    public Informer<T> build() {
      return new Informer<>(this);
    }
  }
}
