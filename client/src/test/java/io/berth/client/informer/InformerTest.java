package io.berth.client.informer;

import static io.berth.client.testing.FakeApiServer.json;
import static io.berth.client.testing.FakeApiServer.status;
import static io.berth.client.testing.FakeApiServer.watch;
import static io.berth.client.testing.Objects.bookmark;
import static io.berth.client.testing.Objects.pod;
import static io.berth.client.testing.Objects.podList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.testing.FakeApiServer;
import io.berth.client.testing.WatchChannel;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InformerTest {
  /** What a list answers now; tests change it to simulate the store moving on. */
  private final AtomicReference<PodList> list = new AtomicReference<>(podList("10", null, List.of()));
  private final FakeApiServer first = FakeApiServer.start(this::answer);
  private final FakeApiServer second = FakeApiServer.start(this::answer);
  private final Client client = Client.builder().endpoints(List.of(first.uri(), second.uri()))
      .callTimeout(Duration.ofSeconds(2)).backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
  private final Recorder recorder = new Recorder();
  private final List<Informer<Pod>> informers = new ArrayList<>();

  @AfterEach
  void close() {
    informers.forEach(Informer::close);
    client.close();
    first.close();
    second.close();
  }

  @Test
  void syncsFromEveryListPageThenAppliesWatchEventsInOrder() throws Exception {
    first.respondWith(r -> {
      if (r.isWatch()) {
        return watch();
      }
      return r.query("continue") == null
          ? json(200, podList("10", "next", List.of(pod("default", "a", "5", "node-1"))))
          : json(200, podList("10", null, List.of(pod("default", "b", "6", "node-1"))));
    });
    Informer<Pod> pods = start(Informer.builder(client.resource(Resource.POD)).pageSize(1)
        .indexer("node", pod -> List.of(pod.getSpec().getNodeName())));

    assertThat(pods.awaitSynced(Duration.ofSeconds(5))).isTrue();
    recorder.expect("add default/a@5", "add default/b@6");
    WatchChannel channel = first.nextWatch();
    assertThat(channel.request().query()).containsEntry("resourceVersion", "10");
    channel.send("MODIFIED", pod("default", "a", "11", "node-2"));
    channel.send("ADDED", pod("default", "c", "12", "node-1"));
    channel.send("DELETED", pod("default", "b", "13", "node-1"));

    recorder.expect("update default/a@5->11", "add default/c@12", "delete default/b@13");
    assertThat(pods.cache().keys()).containsExactlyInAnyOrder("default/a", "default/c");
    assertThat(pods.cache().byIndex("node", "node-1")).extracting(p -> p.getMetadata().getName())
        .containsExactly("c");
    assertThat(pods.cache().byIndex("node", "node-2")).extracting(p -> p.getMetadata().getName())
        .containsExactly("a");
  }

  @Test
  void resumesTheWatchFromTheLastVersionSeenIncludingBookmarksWhenTheStreamEnds() throws Exception {
    list.set(podList("10", null, List.of(pod("default", "a", "5"))));
    start(Informer.builder(client.resource(Resource.POD)));
    recorder.expect("add default/a@5");

    WatchChannel channel = first.nextWatch();
    channel.send("MODIFIED", pod("default", "a", "11"));
    channel.send("BOOKMARK", bookmark("15"));
    channel.end();

    WatchChannel resumed = first.nextWatch();
    assertThat(resumed.request().query()).containsEntry("resourceVersion", "15");
    resumed.send("MODIFIED", pod("default", "a", "16"));
    recorder.expect("update default/a@5->11", "update default/a@11->16");
    assertThat(first.requests().stream().filter(r -> !r.isWatch())).hasSize(1);
  }

  @Test
  void resumesOnAnotherEndpointWhenTheWatchedOneDies() throws Exception {
    list.set(podList("10", null, List.of(pod("default", "a", "5"))));
    start(Informer.builder(client.resource(Resource.POD)));
    WatchChannel channel = first.nextWatch();
    channel.send("MODIFIED", pod("default", "a", "11"));
    recorder.expect("add default/a@5", "update default/a@5->11");

    first.close(); // a crash: open connections reset, new ones refused

    WatchChannel resumed = second.nextWatch();
    assertThat(resumed.request().query()).containsEntry("resourceVersion", "11");
    resumed.send("DELETED", pod("default", "a", "12"));
    recorder.expect("delete default/a@12");
    assertThat(second.requests().stream().filter(r -> !r.isWatch())).isEmpty();
  }

  @Test
  void relistsAfterA410ErrorEventAndDeliversTheDeleteOfAnObjectThatVanished() throws Exception {
    list.set(podList("10", null, List.of(pod("default", "a", "5"), pod("default", "b", "6"))));
    Informer<Pod> pods = start(Informer.builder(client.resource(Resource.POD)));
    recorder.expect("add default/a@5", "add default/b@6");
    WatchChannel channel = first.nextWatch();

    // While the watch lagged, a was deleted, b changed and c was created.
    list.set(podList("50", null, List.of(pod("default", "b", "30"), pod("default", "c", "40"))));
    channel.send("ERROR", new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure")
        .withCode(410).withReason("Expired").withMessage("too old resource version: 10 (45)").build());

    recorder.expect("update default/b@6->30", "add default/c@40", "delete default/a@5");
    assertThat(pods.cache().keys()).containsExactlyInAnyOrder("default/b", "default/c");
    assertThat(first.nextWatch().request().query()).containsEntry("resourceVersion", "50");
  }

  @Test
  void relistsWhenTheWatchItselfIsAnswered410() throws Exception {
    list.set(podList("10", null, List.of(pod("default", "a", "5"))));
    first.respondWith(r -> r.isWatch() && "10".equals(r.query("resourceVersion"))
        ? status(410, "Expired", "too old resource version") : answer(r));
    Informer<Pod> pods = start(Informer.builder(client.resource(Resource.POD)));
    recorder.expect("add default/a@5");

    list.set(podList("20", null, List.of()));

    recorder.expect("delete default/a@5");
    assertThat(first.nextWatch().request().query()).containsEntry("resourceVersion", "20");
    assertThat(pods.cache().list()).isEmpty();
  }

  @Test
  void aNamespacedInformerWatchesOnlyItsNamespaceWithItsSelectors() throws Exception {
    start(Informer.builder(client.resource(Resource.POD).inNamespace("team"))
        .labelSelector("app=web").fieldSelector("spec.nodeName=node-1"));

    WatchChannel channel = first.nextWatch();
    assertThat(channel.request().path()).isEqualTo("/api/v1/namespaces/team/pods");
    assertThat(channel.request().query()).containsEntry("labelSelector", "app=web")
        .containsEntry("fieldSelector", "spec.nodeName=node-1");
    assertThat(first.requests().getFirst().query()).containsEntry("labelSelector", "app=web");
  }

  @Test
  void resyncTellsTheHandlersEveryCachedObjectAgain() throws Exception {
    list.set(podList("10", null, List.of(pod("default", "a", "5"))));
    start(Informer.builder(client.resource(Resource.POD)).resyncPeriod(Duration.ofMillis(100)));

    recorder.expect("add default/a@5", "update default/a@5->5");
  }

  @Test
  void handlersAreAddedBeforeStartOnly() {
    Informer<Pod> pods = start(Informer.builder(client.resource(Resource.POD)));

    assertThatThrownBy(() -> pods.addHandler(new ResourceEventHandler<>() {}))
        .isInstanceOf(IllegalStateException.class);
  }

  private FakeApiServer.Reply answer(io.berth.client.testing.RecordedRequest request) {
    return request.isWatch() ? watch() : json(200, list.get());
  }

  private Informer<Pod> start(Informer.Builder<Pod> builder) {
    Informer<Pod> informer = builder.handler(recorder).backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    informers.add(informer);
    informer.start();
    return informer;
  }

  /** Writes each notification as one line, e.g. "update default/a@5->11", for the test to expect in order. */
  private static final class Recorder implements ResourceEventHandler<Pod> {
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @Override
    public void onAdd(Pod pod) {
      seen.add("add " + ObjectKeys.key(pod) + "@" + pod.getMetadata().getResourceVersion());
    }

    @Override
    public void onUpdate(Pod before, Pod after) {
      seen.add("update " + ObjectKeys.key(after) + "@" + before.getMetadata().getResourceVersion() + "->"
          + after.getMetadata().getResourceVersion());
    }

    @Override
    public void onDelete(Pod pod) {
      seen.add("delete " + ObjectKeys.key(pod) + "@" + pod.getMetadata().getResourceVersion());
    }

    void expect(String... notifications) throws InterruptedException {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < notifications.length; i++) {
        String next = seen.poll(5, TimeUnit.SECONDS);
        if (next == null) {
          break;
        }
        got.add(next);
      }
      assertThat(got).containsExactly(notifications);
    }
  }
}
