package io.berth.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.testing.InMemoryObjectStore;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class NodePortAllocatorTest {
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final ResourceType services = ResourceTable.builtIn().find("", "v1", "services").orElseThrow();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final NodePortAllocator allocator = new NodePortAllocator(store, services,
      new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
      }, new SplittableRandom(7));

  private static Service service(String name, String type, Integer nodePort) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withType(type).addNewPort().withPort(80).withProtocol("TCP").withNodePort(nodePort).endPort()
        .endSpec().build();
  }

  private void allocate(Service service, Service old) {
    try {
      allocator.allocate(service, old).join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  /** Writes the Service as the API server would after allocating. */
  private void store(Service service) {
    store.create(StorageKeys.objectKey(services, "default", service.getMetadata().getName()),
        ObjectCodec.encode(service)).join();
  }

  @Test
  void givesEveryNodePortServiceADistinctPortInTheRange() {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Service s = service("s" + i, "NodePort", null);
      allocate(s, null);
      ports.add(s.getSpec().getPorts().get(0).getNodePort());
    }
    assertThat(ports).hasSize(200).allSatisfy(p -> assertThat(p).isBetween(30000, 32767));
    assertThat(allocator.claimedPorts().join()).hasSize(200);
  }

  @Test
  void refusesAPortAnotherServiceHoldsOrOneOutsideTheRange() {
    allocate(service("a", "NodePort", 30080), null);

    assertThatThrownBy(() -> allocate(service("b", "NodePort", 30080), null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
            "Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"));
    assertThatThrownBy(() -> allocate(service("c", "NodePort", 8080), null))
        .hasMessageContaining("provided port is not in the valid range. The range of valid ports is 30000-32767");
  }

  @Test
  void anUpdateKeepsItsPortAndTheSameServiceMayClaimItAgain() {
    Service first = service("web", "NodePort", 30500);
    allocate(first, null);
    Service update = service("web", "NodePort", null);

    allocate(update, first);

    assertThat(update.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30500);
  }

  @Test
  void clusterIpServicesGetNone() {
    Service s = service("plain", "ClusterIP", null);
    allocate(s, null);
    assertThat(s.getSpec().getPorts().get(0).getNodePort()).isNull();
    assertThat(allocator.claimedPorts().join()).isEmpty();
  }

  @Test
  void aPortFreedByItsServiceIsTakenOverOnceItsClaimIsOld() {
    Service old = service("old", "NodePort", 31000);
    allocate(old, null);
    store(old);
    // The Service still uses it: taken, however old the claim.
    now = now.plus(Duration.ofMinutes(5));
    assertThatThrownBy(() -> allocate(service("new", "NodePort", 31000), null))
        .hasMessageContaining("already allocated");

    // Deleted (here: never written under its name any more): free after the grace period.
    store.delete(StorageKeys.objectKey(services, "default", "old"),
        store.get(StorageKeys.objectKey(services, "default", "old")).join().orElseThrow().modRevision()).join();
    allocate(service("new", "NodePort", 31000), null);
    assertThat(allocator.claimedPorts().join()).containsExactly(31000);
  }

  @Test
  void aFreshClaimIsRespectedEvenBeforeItsServiceIsWritten() {
    allocate(service("creating", "NodePort", 31001), null); // claim made, Service not written yet
    assertThatThrownBy(() -> allocate(service("other", "NodePort", 31001), null))
        .hasMessageContaining("already allocated");
    assertThat(List.of(31001)).isEqualTo(allocator.claimedPorts().join());
  }
}
