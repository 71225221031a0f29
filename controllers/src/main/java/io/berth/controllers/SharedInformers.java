package io.berth.controllers;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The informers of a controller-manager process, one per kind, over the client used for
 * reads. Controllers ask for the kinds they read and declare their indexes when they are
 * constructed; {@link #start()} then runs every informer, on standby replicas too, so
 * that a replica which wins the election starts with warm caches.
 *
 * <pre>{@code
 * SharedInformers informers = new SharedInformers(readClient);
 * ControllerManager manager = ControllerManager.builder(informers)
 *     .controller(new ReplicaSetController(informers, ReplicaSetController.Settings.defaults()))
 *     .build();
 * informers.start();                  // always
 * manager.start(fencedWriteClient);   // when this replica becomes the leader
 * }</pre>
 */
public final class SharedInformers implements AutoCloseable {
  private final Client reads;
  private final Map<Resource<?>, SharedInformer<?>> informers = new LinkedHashMap<>();
  private boolean started;

  /** @param reads the client informers list and watch through (no fencing needed for reads) */
  public SharedInformers(Client reads) {
    this.reads = reads;
  }

  /** The shared informer of {@code resource}, across all namespaces; created on first request. */
  @SuppressWarnings("unchecked")
  public synchronized <T extends HasMetadata> SharedInformer<T> forResource(Resource<T> resource) {
    return (SharedInformer<T>) informers.computeIfAbsent(resource, r -> {
      if (started) {
        throw new IllegalStateException("informer of " + r.plural() + " asked for after start");
      }
      return new SharedInformer<>(reads.resource(resource));
    });
  }

  /** Starts every informer asked for so far (list, then watch); returns at once. */
  public synchronized void start() {
    started = true;
    informers.values().forEach(SharedInformer::start);
  }

  /** Waits until every informer has its first list; false if {@code timeout} passed first. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (SharedInformer<?> informer : snapshot().values()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !informer.awaitSynced(Duration.ofNanos(left))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() {
    informers.values().forEach(SharedInformer::close);
  }

  private synchronized Map<Resource<?>, SharedInformer<?>> snapshot() {
    return new LinkedHashMap<>(informers);
  }
}
