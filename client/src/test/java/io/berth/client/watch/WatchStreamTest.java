package io.berth.client.watch;

import static io.berth.client.testing.FakeApiServer.status;
import static io.berth.client.testing.FakeApiServer.watch;
import static io.berth.client.testing.Objects.bookmark;
import static io.berth.client.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.testing.FakeApiServer;
import io.berth.client.testing.WatchChannel;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchStreamTest {
  private final FakeApiServer first = FakeApiServer.start(r -> watch());
  private final FakeApiServer second = FakeApiServer.start(r -> watch());
  private final Client client = Client.builder().endpoints(List.of(first.uri(), second.uri()))
      .callTimeout(Duration.ofMillis(500)).backoff(Duration.ofMillis(5), Duration.ofMillis(50))
      .watchStallGrace(Duration.ofMillis(300)).build();

  @AfterEach
  void close() {
    client.close();
    first.close();
    second.close();
  }

  @Test
  void theRequestAsksForBookmarksFromTheGivenVersionWithATimeout() throws Exception {
    try (WatchStream<Pod> stream = client.resource(Resource.POD).inNamespace("default")
        .watch(ListOptions.ALL.withResourceVersion("10").withLabelSelector("app=web"), Duration.ofSeconds(30))) {
      WatchChannel channel = first.nextWatch();
      assertThat(channel.request().path()).isEqualTo("/api/v1/namespaces/default/pods");
      assertThat(channel.request().query()).containsEntry("watch", "true").containsEntry("resourceVersion", "10")
          .containsEntry("allowWatchBookmarks", "true").containsEntry("timeoutSeconds", "30")
          .containsEntry("labelSelector", "app=web");
      channel.end();
      assertThat(stream.next()).isNull();
    }
  }

  @Test
  void eachEventIsReadAsSoonAsItArrivesWhileTheResponseGoesOn() throws Exception {
    try (WatchStream<Pod> stream = podsWatch("10")) {
      WatchChannel channel = first.nextWatch();

      channel.send("ADDED", pod("default", "a", "11"));
      WatchEvent<Pod> added = stream.next();
      channel.send("MODIFIED", pod("default", "a", "12"));
      WatchEvent<Pod> modified = stream.next();
      channel.send("DELETED", pod("default", "a", "13"));
      WatchEvent<Pod> deleted = stream.next();

      assertThat(added.type()).isEqualTo(EventType.ADDED);
      assertThat(added.object().getMetadata().getName()).isEqualTo("a");
      assertThat(modified.resourceVersion()).isEqualTo("12");
      assertThat(deleted.type()).isEqualTo(EventType.DELETED);
      channel.end();
      assertThat(stream.next()).isNull();
    }
  }

  @Test
  void bookmarksCarryTheirVersionAndA410ErrorSaysExpired() throws Exception {
    try (WatchStream<Pod> stream = podsWatch("10")) {
      WatchChannel channel = first.nextWatch();
      channel.send("BOOKMARK", bookmark("40"));
      channel.send("ERROR", new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure")
          .withCode(410).withReason("Expired").withMessage("too old resource version: 10 (40)").build());

      WatchEvent<Pod> mark = stream.next();
      WatchEvent<Pod> error = stream.next();

      assertThat(mark.type()).isEqualTo(EventType.BOOKMARK);
      assertThat(mark.resourceVersion()).isEqualTo("40");
      assertThat(error.isExpired()).isTrue();
      assertThat(error.error().getReason()).isEqualTo("Expired");
    }
  }

  @Test
  void aWatchFromAnExpiredVersionAnsweredWith410IsGone() {
    first.respondWith(r -> status(410, "Expired", "too old resource version"));

    assertThatThrownBy(() -> podsWatch("1"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isGone()).isTrue());
  }

  @Test
  void aBrokenStreamThrowsAndTheNextWatchGoesToAnotherEndpoint() throws Exception {
    try (WatchStream<Pod> stream = podsWatch("10")) {
      WatchChannel channel = first.nextWatch();
      channel.send("ADDED", pod("default", "a", "11"));
      assertThat(stream.next()).isNotNull();
      channel.drop();
      assertThatThrownBy(stream::next).isInstanceOf(UncheckedIOException.class);
    }
    assertThat(client.currentEndpoint()).isEqualTo(second.uri());

    try (WatchStream<Pod> again = podsWatch("11")) {
      assertThat(second.nextWatch().request().query()).containsEntry("resourceVersion", "11");
    }
  }

  @Test
  void aStreamOpenLongerThanTheCallTimeoutIsNotCutOff() throws Exception {
    try (WatchStream<Pod> stream = podsWatch("10")) {
      WatchChannel channel = first.nextWatch();
      Thread.sleep(700); // longer than the 500 ms call timeout, which bounds only the wait for the answer's head
      channel.send("ADDED", pod("default", "a", "11"));
      assertThat(stream.next().resourceVersion()).isEqualTo("11");
    }
  }

  @Test
  void aStreamStillOpenPastItsTimeoutAndGraceIsBrokenOff() throws Exception {
    try (WatchStream<Pod> stream = client.resource(Resource.POD).inNamespace("default")
        .watch(ListOptions.ALL.withResourceVersion("10"), Duration.ofSeconds(1))) {
      first.nextWatch(); // never sends, never ends: a partitioned server
      long start = System.nanoTime();
      assertThatThrownBy(stream::next).isInstanceOf(UncheckedIOException.class).hasMessageContaining("stalled");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(client.currentEndpoint()).isEqualTo(second.uri());
  }

  @Test
  void closingFromAnotherThreadEndsABlockedRead() throws Exception {
    WatchStream<Pod> stream = podsWatch("10");
    first.nextWatch();
    Thread closer = Thread.ofVirtual().start(() -> {
      sleepQuietly(100);
      stream.close();
    });
    assertThat(stream.next()).isNull();
    closer.join();
    assertThat(client.currentEndpoint()).isEqualTo(first.uri());
  }

  private WatchStream<Pod> podsWatch(String resourceVersion) {
    return client.resource(Resource.POD).inNamespace("default")
        .watch(ListOptions.ALL.withResourceVersion(resourceVersion), Duration.ofSeconds(60));
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
