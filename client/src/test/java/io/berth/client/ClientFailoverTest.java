package io.berth.client;

import static io.berth.client.testing.FakeApiServer.closedPort;
import static io.berth.client.testing.FakeApiServer.json;
import static io.berth.client.testing.FakeApiServer.reset;
import static io.berth.client.testing.FakeApiServer.status;
import static io.berth.client.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.client.testing.FakeApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientFailoverTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void getMovesToTheSecondEndpointWhenTheFirstRefusesConnectionsAndStaysThere() {
    FakeApiServer second = server(r -> json(200, pod("default", "web", "7")));
    Client client = client(closedPort(), second.uri());

    Pod first = pods(client).get("web").orElseThrow();
    Pod again = pods(client).get("web").orElseThrow();

    assertThat(first.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(again.getMetadata().getName()).isEqualTo("web");
    assertThat(client.currentEndpoint()).isEqualTo(second.uri());
    assertThat(second.requests("GET")).hasSize(2);
  }

  @Test
  void getIsRetriedOnTheNextEndpointAfterAResetBeforeTheAnswer() {
    FakeApiServer resetting = server(r -> reset());
    FakeApiServer healthy = server(r -> json(200, pod("default", "web", "3")));
    Client client = client(resetting.uri(), healthy.uri());

    assertThat(pods(client).get("web")).isPresent();
    assertThat(resetting.requests()).isNotEmpty();
    assertThat(client.currentEndpoint()).isEqualTo(healthy.uri());
  }

  @Test
  void createIsNotRetriedAfterAResetSinceItMayHaveBeenApplied() {
    FakeApiServer resetting = server(r -> reset());
    FakeApiServer healthy = server(r -> json(201, pod("default", "web", "3")));
    Client client = client(resetting.uri(), healthy.uri());

    assertThatThrownBy(() -> pods(client).create(pod("default", "web", null)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("not retried");
    assertThat(resetting.requests("POST")).hasSize(1);
    assertThat(healthy.requests()).isEmpty();
  }

  @Test
  void createIsRetriedOnTheNextEndpointWhenTheConnectionWasRefused() {
    FakeApiServer healthy = server(r -> json(201, pod("default", "web", "3")));
    Client client = client(closedPort(), healthy.uri());

    Pod created = pods(client).create(pod("default", "web", null));

    assertThat(created.getMetadata().getResourceVersion()).isEqualTo("3");
    assertThat(healthy.requests("POST")).singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/api/v1/namespaces/default/pods"));
  }

  @Test
  void createAnswered503IsNotRetriedAndSurfacesTheStatus() {
    FakeApiServer unavailable = server(r -> status(503, "ServiceUnavailable", "no leader"));
    FakeApiServer healthy = server(r -> json(201, pod("default", "web", "3")));
    Client client = client(unavailable.uri(), healthy.uri());

    assertThatThrownBy(() -> pods(client).create(pod("default", "web", null)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.status().getMessage()).isEqualTo("no leader");
        });
    assertThat(healthy.requests()).isEmpty();
  }

  @Test
  void getAnswered503Or429MovesToTheNextEndpoint() {
    FakeApiServer unavailable = server(r -> status(503, "ServiceUnavailable", "no leader"));
    FakeApiServer throttling = server(r -> status(429, "TooManyRequests", "slow down"));
    FakeApiServer healthy = server(r -> json(200, pod("default", "web", "3")));
    Client client = client(unavailable.uri(), throttling.uri(), healthy.uri());

    assertThat(pods(client).get("web")).isPresent();
    assertThat(unavailable.requests()).hasSize(1);
    assertThat(throttling.requests()).hasSize(1);
    assertThat(client.currentEndpoint()).isEqualTo(healthy.uri());
  }

  @Test
  void retryAfterKeepsTheClientAwayFromThatEndpointForTheTimeAsked() {
    AtomicInteger calls = new AtomicInteger();
    FakeApiServer only = server(r -> calls.incrementAndGet() == 1
        ? status(503, "ServiceUnavailable", "starting", "Retry-After", "1")
        : json(200, pod("default", "web", "3")));
    Client client = client(only.uri());

    long start = System.nanoTime();
    assertThat(pods(client).get("web")).isPresent();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(calls.get()).isEqualTo(2);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void aCallGivesUpAtItsDeadlineWhenNoEndpointAnswers() {
    Client client = Client.builder().endpoints(List.of(closedPort(), closedPort()))
        .callTimeout(Duration.ofMillis(300)).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    toClose.add(client);

    long start = System.nanoTime();
    assertThatThrownBy(() -> pods(client).get("web"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no API endpoint");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void retriesGiveUpWithTheLast503AsAStatus() {
    FakeApiServer unavailable = server(r -> status(503, "ServiceUnavailable", "no leader"));
    // Long enough for several 503s; the attempt in flight when the deadline comes times out,
    // and the call still reports the last 503 it had (the Transport keeps answers apart).
    Client client = Client.builder().endpoints(List.of(unavailable.uri())).callTimeout(Duration.ofSeconds(2))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    toClose.add(client);

    assertThatThrownBy(() -> pods(client).get("web"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.reason()).isEqualTo("ServiceUnavailable"));
    assertThat(unavailable.requests().size()).isGreaterThan(1);
  }

  private FakeApiServer server(FakeApiServer.Responder responder) {
    FakeApiServer server = FakeApiServer.start(responder);
    toClose.add(server);
    return server;
  }

  private Client client(URI... endpoints) {
    Client client = Client.builder().endpoints(List.of(endpoints)).callTimeout(Duration.ofSeconds(5))
        .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    toClose.add(client);
    return client;
  }

  private static ResourceClient<Pod> pods(Client client) {
    return client.resource(Resource.POD).inNamespace("default");
  }
}
