package io.berth.client.informer;

import io.berth.client.watch.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informer's one dispatch thread: applies each list and watch event to the cache
 * and then tells the handlers, one change at a time in arrival order. Cache updates
 * happen on this thread too, so a handler (and a resync) always sees a cache that
 * matches the events delivered so far. The queue in front of it is unbounded: the
 * watch is never held up by a slow handler.
 */
final class Dispatcher<T extends HasMetadata> {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final IndexedCache<T> cache;
  private final List<ResourceEventHandler<T>> handlers;
  private final CountDownLatch synced = new CountDownLatch(1);
  // One thread; tasks due at the same time run in submission order (FIFO), so events
  // and resyncs share it without reordering.
  private final ScheduledThreadPoolExecutor thread;

  Dispatcher(String name, IndexedCache<T> cache, List<ResourceEventHandler<T>> handlers) {
    this.cache = cache;
    this.handlers = handlers;
    this.thread = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(name).daemon().factory());
  }

  /** Queues a full list: the cache becomes {@code items}; the differences go out as add/update/delete. */
  void replace(List<T> items) {
    submit(() -> {
      Map<String, T> previous = cache.replace(items);
      for (T item : items) {
        T before = previous.remove(ObjectKeys.key(item));
        if (before == null) {
          tell(h -> h.onAdd(item));
        } else if (!sameVersion(before, item)) {
          tell(h -> h.onUpdate(before, item));
        }
      }
      // Whatever the list no longer has was deleted while the watch could not see it.
      previous.values().forEach(gone -> tell(h -> h.onDelete(gone)));
      synced.countDown();
    });
  }

  /** Queues one ADDED, MODIFIED or DELETED event. */
  void apply(WatchEvent<T> event) {
    T object = event.object();
    submit(() -> {
      switch (event.type()) {
        case ADDED, MODIFIED -> {
          T before = cache.put(object);
          tell(before == null ? h -> h.onAdd(object) : h -> h.onUpdate(before, object));
        }
        case DELETED -> {
          if (cache.remove(ObjectKeys.key(object)) != null) {
            tell(h -> h.onDelete(object));
          }
        }
        default -> throw new IllegalArgumentException("not a change: " + event.type());
      }
    });
  }

  /** Every {@code period}, once synced, tells the handlers every cached object again (onUpdate(o, o)). */
  void resyncEvery(Duration period) {
    thread.scheduleAtFixedRate(() -> {
      if (hasSynced()) {
        cache.list().forEach(object -> tell(h -> h.onUpdate(object, object)));
      }
    }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  boolean hasSynced() {
    return synced.getCount() == 0;
  }

  boolean awaitSynced(Duration timeout) throws InterruptedException {
    return synced.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  void close() {
    thread.shutdownNow();
  }

  private void submit(Runnable change) {
    try {
      thread.execute(() -> {
        try {
          change.run();
        } catch (RuntimeException e) {
          // The executor would keep it in a Future nobody reads.
          log.error("applying an informer change failed", e);
        }
      });
    } catch (RejectedExecutionException closing) {
      // The informer is closing; there is nobody left to tell.
    }
  }

  private void tell(Consumer<ResourceEventHandler<T>> call) {
    for (ResourceEventHandler<T> handler : handlers) {
      try {
        call.accept(handler);
      } catch (RuntimeException e) {
        log.warn("an informer event handler failed; the other handlers still run", e);
      }
    }
  }

  private static boolean sameVersion(HasMetadata a, HasMetadata b) {
    String va = a.getMetadata().getResourceVersion();
    return va != null && Objects.equals(va, b.getMetadata().getResourceVersion());
  }
}
