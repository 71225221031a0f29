package io.berth.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.election.testing.Contender;
import io.berth.election.testing.ControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Elections seen through the Kubernetes API: three stacked replicas, each with a store and an API server. */
class ApiFencingIT {
  @TempDir static Path dir;
  static ControlPlane plane;
  static Client api;
  private final List<Contender> contenders = new ArrayList<>();

  @BeforeAll
  static void startReplicas() throws Exception {
    plane = ControlPlane.start(dir, 3, true);
    api = Client.builder().endpoints(plane.apiUrl(0), plane.apiUrl(1), plane.apiUrl(2)).build();
  }

  @AfterAll
  static void stopReplicas() {
    api.close();
    plane.close();
  }

  @AfterEach
  void stopContenders() {
    contenders.forEach(c -> c.elector().close());
  }

  private void startContenders(String component) {
    for (int i = 0; i < 3; i++) {
      contenders.add(new Contender("server-" + (i + 1))
          .start(component, plane.storeEndpoints(i), ElectionSettings.defaults(), api));
    }
  }

  @Test
  void theLeaseInKubeSystemNamesTheHolderIsRenewedAndCountsTransitions() {
    startContenders("berth-scheduler");
    Contender first = await(() -> leader(null), "a leader");
    Lease held = await(() -> lease("berth-scheduler")
        .filter(l -> first.name.equals(l.getSpec().getHolderIdentity())), "the Lease to name " + first.name);
    ZonedDateTime renewed = held.getSpec().getRenewTime();
    assertThat(held.getSpec().getLeaseDurationSeconds()).isEqualTo(1);

    await(() -> lease("berth-scheduler").filter(l -> l.getSpec().getRenewTime().isAfter(renewed)), "a renewal");

    first.elector().close();
    Contender next = await(() -> leader(first), "the next leader");
    Lease taken = await(() -> lease("berth-scheduler")
        .filter(l -> next.name.equals(l.getSpec().getHolderIdentity())), "the Lease to name " + next.name);
    assertThat(taken.getSpec().getLeaseTransitions()).isEqualTo(held.getSpec().getLeaseTransitions() + 1);
    assertThat(taken.getSpec().getAcquireTime()).isAfter(held.getSpec().getAcquireTime());
  }

  @Test
  void aDeposedLeadersWriteThroughTheApiIsRefusedWith409AndTheNewLeadersPasses() {
    startContenders("berth-controller-manager");
    Contender first = await(() -> leader(null), "a leader");
    FencingToken old = first.token;
    first.elector().abandon();
    Contender next = await(() -> leader(first), "the next leader");

    assertThatThrownBy(() -> old.fence(api).resource(Resource.CONFIG_MAP).inNamespace("default")
        .create(configMap("from-the-deposed-leader")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.reason()).isEqualTo("Conflict");
          assertThat(e.status().getMessage()).containsIgnoringCase("fencing token");
        });
    assertThat(api.resource(Resource.CONFIG_MAP).inNamespace("default").get("from-the-deposed-leader")).isEmpty();
    assertThat(next.token.fence(api).resource(Resource.CONFIG_MAP).inNamespace("default")
        .create(configMap("from-the-new-leader")).getMetadata().getName()).isEqualTo("from-the-new-leader");
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v").build();
  }

  private Optional<Lease> lease(String name) {
    return api.resource(Resource.LEASE).inNamespace("kube-system").get(name);
  }

  private Optional<Contender> leader(Contender previous) {
    return contenders.stream().filter(c -> c != previous && c.leading).findFirst();
  }

  private static <T> T await(Supplier<Optional<T>> probe, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      ControlPlane.sleep(10);
    }
  }
}
