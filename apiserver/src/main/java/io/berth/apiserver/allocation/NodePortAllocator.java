package io.berth.apiserver.allocation;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.Statuses;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StorageException;
import io.berth.apiserver.storage.StorageKeys;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * Gives NodePort and LoadBalancer Services their nodePorts from 30000-32767, never one port to
 * two Services, across every API replica at once.
 *
 * <p>Each allocated port is a claim in the store, {@code /registry/ranges/servicenodeports/<port>}
 * holding {@code namespace/name@epochMillis}, written with create-if-absent: of two replicas
 * claiming one port, one wins and the other sees it taken. Claims are not released on delete:
 * a claim is stale once its owner Service no longer uses the port (deleted, changed type, other
 * port) and the claim is older than {@link #CLAIM_GRACE_MILLIS} (so a Service being created
 * right now keeps its claim), and a stale claim is taken over with a compare-and-swap. So no
 * crash between claim and write can leak a port for long.
 *
 * <ul>
 *   <li>a nodePort given by the client: outside the range, or claimed by another Service:
 *       422 Invalid on {@code spec.ports[i].nodePort};</li>
 *   <li>none given: the one the Service had before (update), else a random free one.</li>
 * </ul>
 */
public final class NodePortAllocator {
  public static final int FIRST = 30000;
  public static final int LAST = 32767;
  static final String PREFIX = "/registry/ranges/servicenodeports/";
  static final long CLAIM_GRACE_MILLIS = 60_000;
  private static final int RANDOM_TRIES = 64;
  private static final Set<String> TYPES = Set.of("NodePort", "LoadBalancer");

  private final ObjectStore store;
  private final ResourceType services;
  private final Clock clock;
  private final RandomGenerator random;

  public NodePortAllocator(ObjectStore store, ResourceType services, Clock clock, RandomGenerator random) {
    this.store = store;
    this.services = services;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Sets and claims the nodePorts of {@code service} (defaulted and validated, not yet written).
   *
   * @param old the Service before this update, or null for a create
   */
  public CompletableFuture<Void> allocate(Service service, Service old) {
    if (service.getSpec() == null || !TYPES.contains(service.getSpec().getType())
        || service.getSpec().getPorts() == null) {
      return CompletableFuture.completedFuture(null);
    }
    String owner = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
    List<ServicePort> ports = service.getSpec().getPorts();
    keepPrevious(ports, old);
    checkRangeAndDuplicates(service, ports);
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < ports.size(); i++) {
      ServicePort port = ports.get(i);
      int index = i;
      chain = chain.thenCompose(v -> port.getNodePort() != null && port.getNodePort() != 0
          ? claim(port.getNodePort(), owner).thenAccept(ok -> {
              if (!ok) {
                throw invalid(service, index, port.getNodePort(), "provided port is already allocated");
              }
            })
          : allocateAny(owner, RANDOM_TRIES).thenAccept(port::setNodePort));
    }
    return chain;
  }

  /** An update that leaves a nodePort out keeps the one the same port had (as Kubernetes does). */
  private static void keepPrevious(List<ServicePort> ports, Service old) {
    if (old == null || old.getSpec() == null || old.getSpec().getPorts() == null) {
      return;
    }
    for (ServicePort port : ports) {
      if (port.getNodePort() != null && port.getNodePort() != 0) {
        continue;
      }
      old.getSpec().getPorts().stream()
          .filter(p -> p.getNodePort() != null && p.getNodePort() != 0 && Objects.equals(p.getPort(), port.getPort())
              && Objects.equals(p.getProtocol(), port.getProtocol()))
          .findFirst().ifPresent(p -> port.setNodePort(p.getNodePort()));
    }
  }

  private void checkRangeAndDuplicates(Service service, List<ServicePort> ports) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      Integer nodePort = ports.get(i).getNodePort();
      if (nodePort == null || nodePort == 0) {
        continue;
      }
      if (nodePort < FIRST || nodePort > LAST) {
        throw invalid(service, i, nodePort, "provided port is not in the valid range. The range of valid ports is "
            + FIRST + "-" + LAST);
      }
      if (!seen.add(nodePort + "/" + ports.get(i).getProtocol())) {
        throw invalid(service, i, nodePort, "Duplicate value");
      }
    }
  }

  private CompletableFuture<Integer> allocateAny(String owner, int triesLeft) {
    if (triesLeft == 0) {
      return CompletableFuture.failedFuture(Statuses.unavailable(
          "no free node port found in " + FIRST + "-" + LAST + " after " + RANDOM_TRIES + " tries"));
    }
    int port = random.nextInt(FIRST, LAST + 1);
    return claim(port, owner).thenCompose(ok -> ok ? CompletableFuture.completedFuture(port)
        : allocateAny(owner, triesLeft - 1));
  }

  /** Claims {@code port} for {@code owner}: true if it is now (or already was) the owner's. */
  CompletableFuture<Boolean> claim(int port, String owner) {
    String key = PREFIX + port;
    byte[] value = (owner + "@" + clock.millis()).getBytes(StandardCharsets.UTF_8);
    return store.create(key, value).thenApply(written -> true).exceptionallyCompose(e -> {
      if (!(unwrap(e) instanceof StorageException se) || se.reason() != StorageException.Reason.KEY_EXISTS) {
        return CompletableFuture.failedFuture(e);
      }
      return store.get(key).thenCompose(found -> {
        if (found.isEmpty()) {
          return CompletableFuture.completedFuture(false); // released meanwhile: let the caller try again
        }
        String[] claim = new String(found.get().value(), StandardCharsets.UTF_8).split("@", 2);
        if (claim[0].equals(owner)) {
          return CompletableFuture.completedFuture(true);
        }
        long age = clock.millis() - (claim.length > 1 ? parseLong(claim[1]) : 0);
        if (age < CLAIM_GRACE_MILLIS) {
          return CompletableFuture.completedFuture(false);
        }
        return usesPort(claim[0], port).thenCompose(uses -> uses ? CompletableFuture.completedFuture(false)
            : store.update(key, value, found.get().modRevision()).thenApply(w -> true)
                .exceptionally(conflict -> false));
      });
    });
  }

  /** Whether the Service {@code namespace/name} exists and has {@code port} as a nodePort. */
  private CompletableFuture<Boolean> usesPort(String owner, int port) {
    String[] parts = owner.split("/", 2);
    if (parts.length < 2) {
      return CompletableFuture.completedFuture(false);
    }
    return store.get(StorageKeys.objectKey(services, parts[0], parts[1])).thenApply(found -> found
        .map(stored -> (Service) ObjectCodec.decodeStored(stored.value(), services))
        .filter(s -> s.getSpec() != null && TYPES.contains(s.getSpec().getType()) && s.getSpec().getPorts() != null)
        .map(s -> s.getSpec().getPorts().stream().anyMatch(p -> Objects.equals(p.getNodePort(), port)))
        .orElse(false));
  }

  private ApiException invalid(Service service, int index, int nodePort, String reason) {
    return Statuses.invalid(services, service.getMetadata().getName(), List.of(new ApiException.Cause(
        "FieldValueInvalid", "Invalid value: " + nodePort + ": " + reason, "spec.ports[" + index + "].nodePort")));
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** For tests: the ports claimed now. */
  CompletableFuture<List<Integer>> claimedPorts() {
    return store.list(PREFIX, 0).thenApply(list -> {
      List<Integer> ports = new ArrayList<>();
      list.items().forEach(o -> ports.add(Integer.parseInt(o.key().substring(PREFIX.length()))));
      return ports;
    });
  }
}
