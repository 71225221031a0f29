package io.berth.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TrafficDrainTest {
  private final Pod pod = new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-1").withUid("uid-1")
      .endMetadata().build();
  private final AtomicReference<List<Endpoints>> endpoints = new AtomicReference<>(List.of());

  private TrafficDrain drain(Duration propagation, Duration maxWait) {
    return new TrafficDrain(namespace -> namespace.equals("shop") ? endpoints.get() : List.of(), propagation, maxWait,
        Clock.systemUTC());
  }

  @Test
  void aPodNoEndpointsListStopsAtOnce() throws Exception {
    endpoints.set(List.of(listing("other-uid", false)));

    TrafficDrain.Outcome outcome = drain(Duration.ofSeconds(5), Duration.ofSeconds(10)).await(pod, far());

    assertThat(outcome.wasRouted()).isFalse();
    assertThat(outcome.waited()).isLessThan(Duration.ofMillis(100));
  }

  @Test
  void aPodListedOnlyAsNotReadyIsNotRoutedTo() throws Exception {
    endpoints.set(List.of(listing("uid-1", true)));

    assertThat(drain(Duration.ofSeconds(5), Duration.ofSeconds(10)).await(pod, far()).wasRouted()).isFalse();
  }

  @Test
  void waitsUntilTheEndpointsDropThePodThenForThePropagationDelay() throws Exception {
    endpoints.set(List.of(listing("other-uid", false), listing("uid-1", false)));
    Thread.ofVirtual().start(() -> {
      sleep(300);
      endpoints.set(List.of(listing("other-uid", false), listing("uid-1", true)));
    });

    TrafficDrain.Outcome outcome = drain(Duration.ofMillis(400), Duration.ofSeconds(10)).await(pod, far());

    assertThat(outcome.wasRouted()).isTrue();
    assertThat(outcome.drained()).isTrue();
    assertThat(outcome.waited()).isBetween(Duration.ofMillis(700), Duration.ofMillis(3000));
  }

  @Test
  void givesUpAfterTheLongestWaitWhenTheEndpointsNeverChange() throws Exception {
    endpoints.set(List.of(listing("uid-1", false)));

    TrafficDrain.Outcome outcome = drain(Duration.ofSeconds(1), Duration.ofMillis(300)).await(pod, far());

    assertThat(outcome.drained()).isFalse();
    assertThat(outcome.waited()).isBetween(Duration.ofMillis(300), Duration.ofMillis(2000));
  }

  @Test
  void neverWaitsPastThePodsOwnDeadline() throws Exception {
    endpoints.set(List.of(listing("uid-1", false)));

    TrafficDrain.Outcome outcome = drain(Duration.ofSeconds(1), Duration.ofSeconds(10))
        .await(pod, Instant.now().plusMillis(200));

    assertThat(outcome.drained()).isFalse();
    assertThat(outcome.waited()).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void thePropagationDelayIsCutShortByTheDeadline() throws Exception {
    endpoints.set(List.of(listing("uid-1", false)));
    Thread.ofVirtual().start(() -> {
      sleep(100);
      endpoints.set(List.of());
    });

    TrafficDrain.Outcome outcome = drain(Duration.ofSeconds(30), Duration.ofMillis(600)).await(pod, far());

    assertThat(outcome.drained()).isTrue();
    assertThat(outcome.waited()).isBetween(Duration.ofMillis(500), Duration.ofMillis(2000));
  }

  /** An Endpoints object with one address pointing at the pod with {@code uid}, ready or not. */
  private static Endpoints listing(String uid, boolean notReady) {
    var subset = new io.fabric8.kubernetes.api.model.EndpointSubsetBuilder();
    var address = new io.fabric8.kubernetes.api.model.EndpointAddressBuilder().withIp("127.0.1.1").withNewTargetRef()
        .withKind("Pod").withNamespace("shop").withUid(uid).endTargetRef().build();
    if (notReady) {
      subset.withNotReadyAddresses(address);
    } else {
      subset.withAddresses(address);
    }
    return new EndpointsBuilder().withNewMetadata().withNamespace("shop").withName("svc-" + uid).endMetadata()
        .withSubsets(subset.addNewPort().withPort(40001).endPort().build()).build();
  }

  private static Instant far() {
    return Instant.now().plusSeconds(60);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
