package io.berth.controllers;

import io.berth.client.ResourceClient;
import io.berth.client.informer.IndexedCache;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One informer of one kind, shared by every controller that reads that kind, whose
 * listeners can come and go while it runs. That is what lets a standby replica keep its
 * caches warm: the informers run all the time, and a controller only subscribes when its
 * replica becomes the leader (and unsubscribes when it stops being one).
 *
 * <p>Indexes are declared before {@link SharedInformers#start()}; listeners at any time.
 * Cached objects are shared by everyone: never modify them (copy first).
 */
public final class SharedInformer<T extends HasMetadata> {
  private final ResourceClient<T> source;
  private final Map<String, Function<T, List<String>>> indexers = new LinkedHashMap<>();
  private final List<ResourceEventHandler<T>> listeners = new CopyOnWriteArrayList<>();
  private Informer<T> informer;

  SharedInformer(ResourceClient<T> source) {
    this.source = source;
  }

  /**
   * Declares an index (see {@link IndexedCache#byIndex}); before the informers start. Two
   * controllers may declare the same index name only if they mean the same function, so
   * the first declaration wins.
   */
  public synchronized SharedInformer<T> index(String name, Function<T, List<String>> values) {
    if (informer != null) {
      throw new IllegalStateException("indexes of " + source.resource().plural() + " are declared before start");
    }
    indexers.putIfAbsent(name, values);
    return this;
  }

  /** The cache (empty until started). */
  public IndexedCache<T> cache() {
    return started().cache();
  }

  public boolean hasSynced() {
    Informer<T> running = informer;
    return running != null && running.hasSynced();
  }

  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return started().awaitSynced(timeout);
  }

  /**
   * Subscribes {@code listener} to changes from now on, and tells it about every object
   * already cached as an add, so that a controller subscribing to a warm cache sees the
   * whole state. A change racing with that replay may reach it twice, or an add after
   * the update it replays: listeners only enqueue keys, so that is harmless.
   */
  public void addListener(ResourceEventHandler<T> listener) {
    listeners.add(listener);
    Informer<T> running = informer;
    if (running != null && running.hasSynced()) {
      running.cache().list().forEach(listener::onAdd);
    }
  }

  public void removeListener(ResourceEventHandler<T> listener) {
    listeners.remove(listener);
  }

  synchronized void start() {
    if (informer != null) {
      return;
    }
    Informer.Builder<T> builder = Informer.builder(source).handler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        listeners.forEach(l -> l.onAdd(object));
      }

      @Override
      public void onUpdate(T oldObject, T newObject) {
        listeners.forEach(l -> l.onUpdate(oldObject, newObject));
      }

      @Override
      public void onDelete(T lastKnown) {
        listeners.forEach(l -> l.onDelete(lastKnown));
      }
    });
    indexers.forEach(builder::indexer);
    informer = builder.build();
    informer.start();
  }

  synchronized void close() {
    if (informer != null) {
      informer.close();
    }
  }

  private synchronized Informer<T> started() {
    if (informer == null) {
      throw new IllegalStateException("the informers of " + source.resource().plural() + " are not started");
    }
    return informer;
  }
}
