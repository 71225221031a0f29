package io.berth.apiserver.bootstrap;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ResourceHandler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Makes sure the namespaces Kubernetes always has exist: default, kube-system,
 * kube-node-lease ({@link CreateIfAbsent}: every replica tries, one wins).
 */
public final class SystemNamespaces {
  public static final String KUBE_SYSTEM = "kube-system";
  public static final List<String> NAMES = List.of("default", KUBE_SYSTEM, "kube-node-lease");

  private final CreateIfAbsent creator;
  private final ResourceType namespaces;

  public SystemNamespaces(ResourceHandler resources, ResourceType namespaces, ScheduledExecutorService scheduler) {
    this.creator = new CreateIfAbsent(resources, scheduler);
    this.namespaces = namespaces;
  }

  /** Completes once every system namespace exists; retries until then. */
  public CompletableFuture<Void> ensure() {
    return CompletableFuture.allOf(NAMES.stream().map(name -> creator.ensure(namespaces, null, () -> {
      Namespace namespace = new Namespace();
      namespace.setMetadata(new ObjectMetaBuilder().withName(name).build());
      return namespace;
    })).toArray(CompletableFuture[]::new));
  }
}
