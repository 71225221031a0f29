package io.berth.apiserver.bootstrap;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ResourceHandler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an object the cluster must have unless it exists. Every replica does this at
 * startup; the create is conditional in the store, so when replicas race one wins and the
 * others see AlreadyExists, which counts as done. Until the store has a leader the creates
 * fail as unavailable and are retried. An object that exists is left as it is: an
 * administrator may have changed it on purpose.
 */
final class CreateIfAbsent {
  private static final Logger log = LoggerFactory.getLogger(CreateIfAbsent.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final ResourceHandler resources;
  private final ScheduledExecutorService scheduler;

  CreateIfAbsent(ResourceHandler resources, ScheduledExecutorService scheduler) {
    this.resources = resources;
    this.scheduler = scheduler;
  }

  /**
   * Completes once the object exists; retries until then.
   *
   * @param object makes a fresh copy for each attempt (a create fills in the metadata of what it is given)
   */
  CompletableFuture<Void> ensure(ResourceType type, String namespace, Supplier<HasMetadata> object) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    HasMetadata attempt = object.get();
    resources.create(type, namespace, attempt).whenComplete((created, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause == null || (cause instanceof ApiException api && api.code() == 409)) {
        done.complete(null);
        return;
      }
      log.debug("creating {} {} failed, will retry: {}", type.kind(), attempt.getMetadata().getName(),
          cause.toString());
      scheduler.schedule(() -> ensure(type, namespace, object).whenComplete((ok, e) -> done.complete(null)),
          RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    });
    return done;
  }
}
