package io.berth.client.informer;

import io.berth.client.ApiException;
import io.berth.client.ListOptions;
import io.berth.client.ListResult;
import io.berth.client.ResourceClient;
import io.berth.client.transport.Backoff;
import io.berth.client.watch.WatchEvent;
import io.berth.client.watch.WatchStream;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list+watch loop of one informer, on its own thread:
 * <pre>
 *   list (all pages) --> dispatcher.replace --> watch from the list's resourceVersion
 *        ^                                        | each event: dispatcher.apply, remember its version
 *        |                                        | BOOKMARK: remember its version
 *        |  410 Gone (answer or ERROR event)      | stream ends, breaks or its endpoint dies:
 *        +----------------------------------------+   watch again from the last version remembered
 * </pre>
 * Failures back off (capped, exponential); the client moves to another endpoint by
 * itself. A watch that ends without delivering anything counts as a failure, so a
 * server that closes every stream at once is not called in a tight loop.
 */
final class Reflector<T extends HasMetadata> implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Reflector.class);

  private final ResourceClient<T> source;
  private final ListOptions options;
  private final Duration watchTimeout;
  private final Backoff backoff;
  private final Dispatcher<T> dispatcher;
  private volatile boolean running = true;
  private volatile WatchStream<T> stream;
  /** The version the cache has reached; null: list first. Only the reflector thread touches it. */
  private String version;

  Reflector(ResourceClient<T> source, ListOptions options, Duration watchTimeout, Backoff backoff,
      Dispatcher<T> dispatcher) {
    this.source = source;
    this.options = options;
    this.watchTimeout = watchTimeout;
    this.backoff = backoff;
    this.dispatcher = dispatcher;
  }

  @Override
  public void run() {
    int failures = 0;
    while (running) {
      try {
        if (version == null) {
          list();
        }
        failures = watch() ? 0 : failures + 1;
      } catch (ApiException e) {
        if (e.isGone()) {
          log.info("{} watch: resourceVersion {} expired; listing again", kind(), version);
          version = null;
          failures = 0;
        } else {
          failures++;
          log.warn("{} list/watch refused: {}", kind(), e.getMessage());
        }
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        failures++;
        log.warn("{} list/watch failed: {}", kind(), e.getMessage());
      }
      if (failures > 0 && running) {
        pause(backoff.delay(failures));
      }
    }
  }

  /** Stops the loop and ends the watch in progress. */
  void stop(Thread runner) {
    running = false;
    WatchStream<T> open = stream;
    if (open != null) {
      open.close();
    }
    runner.interrupt();
  }

  private void list() {
    ListResult<T> result = source.list(options.withResourceVersion(null));
    dispatcher.replace(result.items());
    version = result.resourceVersion();
  }

  /**
   * Watches from {@link #version} until the stream ends, moving {@link #version} along.
   *
   * @return whether the stream delivered at least one event
   */
  private boolean watch() {
    boolean delivered = false;
    try (WatchStream<T> open = source.watch(options.withResourceVersion(version), watchTimeout)) {
      stream = open;
      if (!running) {
        return false;
      }
      WatchEvent<T> event;
      while ((event = open.next()) != null) {
        delivered = true;
        switch (event.type()) {
          case ERROR -> {
            if (event.isExpired()) {
              log.info("{} watch: resourceVersion {} expired; listing again", kind(), version);
              version = null;
              return true;
            }
            throw new ApiException(event.error());
          }
          case BOOKMARK -> version = event.resourceVersion();
          default -> {
            dispatcher.apply(event);
            version = event.resourceVersion();
          }
        }
      }
    } finally {
      stream = null;
    }
    return delivered;
  }

  private void pause(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private String kind() {
    return source.resource().kind();
  }
}
