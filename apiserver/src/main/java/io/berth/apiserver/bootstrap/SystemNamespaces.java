package io.berth.apiserver.bootstrap;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ResourceHandler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the namespaces Kubernetes always has exist: default, kube-system,
 * kube-node-lease. Every replica does this at startup; the create is conditional
 * in the store, so when replicas race, one wins and the others see AlreadyExists,
 * which counts as done. Until the store has a leader the creates fail as
 * unavailable and are retried.
 */
public final class SystemNamespaces {
  public static final List<String> NAMES = List.of("default", "kube-system", "kube-node-lease");
  private static final Logger log = LoggerFactory.getLogger(SystemNamespaces.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final ResourceHandler resources;
  private final ResourceType namespaces;
  private final ScheduledExecutorService scheduler;

  public SystemNamespaces(ResourceHandler resources, ResourceType namespaces, ScheduledExecutorService scheduler) {
    this.resources = resources;
    this.namespaces = namespaces;
    this.scheduler = scheduler;
  }

  /** Completes once every system namespace exists; retries until then. */
  public CompletableFuture<Void> ensure() {
    return CompletableFuture.allOf(NAMES.stream().map(this::ensure).toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> ensure(String name) {
    Namespace namespace = new Namespace();
    namespace.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CompletableFuture<Void> done = new CompletableFuture<>();
    resources.create(namespaces, null, namespace).whenComplete((created, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause == null || (cause instanceof ApiException api && api.code() == 409)) {
        done.complete(null);
        return;
      }
      log.debug("creating namespace {} failed, will retry: {}", name, cause.toString());
      scheduler.schedule(() -> ensure(name).whenComplete((ok, e) -> done.complete(null)),
          RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    });
    return done;
  }
}
