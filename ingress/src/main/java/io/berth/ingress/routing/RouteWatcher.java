package io.berth.ingress.routing;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link RoutingTables} current: informers (list+watch with failover across API
 * replicas, see the client module) on Ingresses, IngressClasses, Services, Endpoints and
 * Secrets; any change marks the table dirty, and one rebuild thread builds a new table from
 * the caches and swaps it in. Changes arriving during a rebuild cause one more rebuild, not
 * one each, so a burst of Endpoints updates costs a few rebuilds.
 */
public final class RouteWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteWatcher.class);

  /** Told about every new table, with a lookup of Secrets by namespace/name (for TLS). */
  public interface Listener extends BiConsumer<RoutingTable, Function<String, Optional<Secret>>> {}

  private final RoutingTables tables;
  private final RoutingTableBuilder builder;
  private final List<Listener> listeners = new ArrayList<>();
  private final Informer<io.fabric8.kubernetes.api.model.networking.v1.Ingress> ingresses;
  private final Informer<io.fabric8.kubernetes.api.model.networking.v1.IngressClass> classes;
  private final Informer<io.fabric8.kubernetes.api.model.Service> services;
  private final Informer<io.fabric8.kubernetes.api.model.Endpoints> endpoints;
  private final Informer<Secret> secrets;
  private final ExecutorService rebuilder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "berth-ingress-routes");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean dirty = new AtomicBoolean();
  private volatile boolean synced;
  private volatile long generation;

  public RouteWatcher(Client client, String className, RoutingTables tables) {
    this.tables = tables;
    this.builder = new RoutingTableBuilder(className);
    this.ingresses = informer(client, Resource.INGRESS);
    this.classes = informer(client, Resource.INGRESS_CLASS);
    this.services = informer(client, Resource.SERVICE);
    this.endpoints = informer(client, Resource.ENDPOINTS);
    this.secrets = informer(client, Resource.SECRET);
  }

  /** Adds a listener; call before {@link #start}. */
  public RouteWatcher listener(Listener listener) {
    listeners.add(listener);
    return this;
  }

  public void start() {
    List.of(ingresses, classes, services, endpoints, secrets).forEach(Informer::start);
  }

  /** Waits until every informer has listed once and the first table is in place. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Informer<?> informer : List.of(ingresses, classes, services, endpoints, secrets)) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !informer.awaitSynced(Duration.ofNanos(left))) {
        return false;
      }
    }
    synced = true;
    changed();
    while (generation == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return true;
  }

  /** Whether the first full table has been built (readiness). */
  public boolean isSynced() {
    return synced && generation > 0;
  }

  private <T extends HasMetadata> Informer<T> informer(Client client, Resource<T> resource) {
    return Informer.builder(client.resource(resource)).handler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed();
      }

      @Override
      public void onUpdate(T before, T after) {
        if (before != after) {
          changed();
        }
      }

      @Override
      public void onDelete(T object) {
        changed();
      }
    }).build();
  }

  private void changed() {
    if (synced && dirty.compareAndSet(false, true)) {
      rebuilder.execute(this::rebuild);
    }
  }

  private void rebuild() {
    dirty.set(false);
    try {
      RoutingTable table = builder.build(ingresses.cache().list(), classes.cache().list(), services.cache().list(),
          endpoints.cache().list(), generation + 1);
      tables.swap(table);
      generation = table.generation();
      for (Listener listener : listeners) {
        listener.accept(table, key -> secrets.cache().getByKey(key));
      }
      log.info("routing table {} in place: {} rules, {} TLS hosts", table.generation(), table.ruleCount(),
          table.tlsSecrets().size());
    } catch (RuntimeException e) {
      // A table that cannot be built must not stop updates: the old one stays, the next change retries.
      log.warn("could not build the routing table; keeping the previous one", e);
    }
  }

  @Override
  public void close() {
    List.of(ingresses, classes, services, endpoints, secrets).forEach(Informer::close);
    rebuilder.shutdownNow();
    try {
      rebuilder.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
