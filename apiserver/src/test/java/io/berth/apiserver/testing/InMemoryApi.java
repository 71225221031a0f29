package io.berth.apiserver.testing;

import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.http.Router;
import io.berth.apiserver.openapi.OpenApiV3;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.MetadataPolicy;
import io.berth.apiserver.rest.ResourceHandler;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The whole request pipeline below HTTP over an {@link InMemoryObjectStore}, with its
 * watch caches, for unit tests of routing, handlers and Statuses. Close it after.
 */
public final class InMemoryApi implements AutoCloseable {
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final WatchCaches caches;
  private final Router router;

  public InMemoryApi() {
    ResourceTable table = ResourceTable.builtIn();
    caches = new WatchCaches(table, store, WatchCache.Settings.defaults(), timer);
    caches.start();
    ResourceHandler resources = new ResourceHandler(table, store, caches,
        new MetadataPolicy(Clock.systemUTC(), new Random(1)), timer);
    router = new Router(new Discovery(table), new OpenApiV3(table), resources);
  }

  public Router router() {
    return router;
  }

  public InMemoryObjectStore store() {
    return store;
  }

  @Override
  public void close() {
    caches.close();
    timer.shutdownNow();
  }
}
