package io.berth.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.testing.InMemoryObjectStore;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WatchCacheTest {
  private final ResourceType configMaps = ResourceTable.builtIn().find("", "v1", "configmaps").orElseThrow();
  private InMemoryObjectStore store;
  private ScheduledExecutorService timer;
  private WatchCache cache;

  @BeforeEach
  void setUp() {
    store = new InMemoryObjectStore();
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void tearDown() {
    cache.close();
    timer.shutdownNow();
  }

  private void startCache(int historyCapacity) {
    cache = new WatchCache(configMaps, store,
        new WatchCache.Settings(historyCapacity, Duration.ofMillis(50), Duration.ofMillis(100)), timer);
    cache.start();
    cache.waitUntil(1, Duration.ofSeconds(5)).join();
  }

  @Test
  void aWatchFromAVersionReplaysTheChangesAfterItThenFollowsLiveOnes() throws Exception {
    startCache(100);
    long a = put("a", Map.of("app", "web"));
    long b = put("b", Map.of("app", "web"));
    cache.waitUntil(b, Duration.ofSeconds(5)).join();
    RecordingSink sink = new RecordingSink();
    cache.watch(new CacheWatcher(prefix(), null, false, sink), OptionalLong.of(a));
    long c = put("c", Map.of());
    delete("a");
    sink.awaitEvents(3);
    assertThat(sink.describe()).containsExactly("ADDED b " + b, "ADDED c " + c, "DELETED a " + (c + 1));
  }

  @Test
  void aWatchWithoutAVersionStartsWithEveryObjectAsAdded() throws Exception {
    startCache(100);
    long a = put("a", Map.of());
    cache.waitUntil(a, Duration.ofSeconds(5)).join();
    RecordingSink sink = new RecordingSink();
    cache.watch(new CacheWatcher(prefix(), null, false, sink), OptionalLong.empty());
    long b = put("b", Map.of());
    sink.awaitEvents(2);
    assertThat(sink.describe()).containsExactly("ADDED a " + a, "ADDED b " + b);
  }

  @Test
  void aSelectedWatchSeesObjectsEnterAsAddedAndLeaveAsDeleted() throws Exception {
    startCache(100);
    long start = put("x", Map.of("tier", "back"));
    cache.waitUntil(start, Duration.ofSeconds(5)).join();
    RecordingSink sink = new RecordingSink();
    cache.watch(new CacheWatcher(prefix(), o -> "front".equals(o.getMetadata().getLabels().get("tier")), false, sink),
        OptionalLong.of(start));
    long entered = put("x", Map.of("tier", "front"));
    long changed = put("x", Map.of("tier", "front", "v", "2"));
    long left = put("x", Map.of("tier", "back"));
    put("x", Map.of("tier", "back", "v", "3"));
    long marker = put("marker", Map.of("tier", "front"));
    sink.awaitEvents(4);
    assertThat(sink.describe()).containsExactly("ADDED x " + entered, "MODIFIED x " + changed, "DELETED x " + left,
        "ADDED marker " + marker);
  }

  @Test
  void aWatchFromBeforeTheHistoryIsExpired() {
    startCache(2);
    long first = put("a", Map.of());
    put("b", Map.of());
    put("c", Map.of());
    long last = put("d", Map.of());
    cache.waitUntil(last, Duration.ofSeconds(5)).join();
    assertThatThrownBy(() -> cache.watch(new CacheWatcher(prefix(), null, false, new RecordingSink()),
        OptionalLong.of(first))).isInstanceOf(ExpiredRevisionException.class)
        .hasMessageStartingWith("too old resource version: " + first);
  }

  @Test
  void aWatcherThatCannotKeepUpIsEndedAndForgotten() throws Exception {
    startCache(100);
    RecordingSink sink = new RecordingSink();
    sink.capacity = 1;
    cache.watch(new CacheWatcher(prefix(), null, false, sink), OptionalLong.of(cache.revision()));
    put("a", Map.of());
    long b = put("b", Map.of());
    cache.waitUntil(b, Duration.ofSeconds(5)).join();
    assertThat(sink.ended).isNotNull();
    assertThat(cache.watcherCount()).isZero();
  }

  @Test
  void watchersWhoseEndStopsThemAreEndedCleanlyWhenTheCacheCloses() {
    startCache(100);
    // An HTTP watch stops its watcher when its response ends, re-entering the cache.
    List<RecordingSink> sinks = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingSink sink = new RecordingSink();
      CacheWatcher watcher = new CacheWatcher(prefix(), null, false, sink);
      sink.onEnd = () -> cache.stop(watcher);
      cache.watch(watcher, OptionalLong.of(cache.revision()));
      sinks.add(sink);
    }
    cache.close();
    assertThat(sinks).allSatisfy(s -> assertThat(s.ended).isNotNull());
    assertThat(cache.watcherCount()).isZero();
  }

  @Test
  void progressMarksBringBookmarksToWatchersThatAllowThem() throws Exception {
    startCache(100);
    RecordingSink withBookmarks = new RecordingSink();
    RecordingSink without = new RecordingSink();
    cache.watch(new CacheWatcher(prefix(), null, true, withBookmarks), OptionalLong.of(cache.revision()));
    cache.watch(new CacheWatcher(prefix(), null, false, without), OptionalLong.of(cache.revision()));
    // A write elsewhere in the store moves the revision without an event for this type.
    store.create("/registry/core/secrets/default/s", "{}".getBytes()).join();
    withBookmarks.awaitEvents(1);
    assertThat(withBookmarks.events.get(0).type()).isEqualTo(WatchEvent.Type.BOOKMARK);
    assertThat(new String(withBookmarks.events.get(0).jsonFrame()))
        .contains("\"type\":\"BOOKMARK\"", "\"kind\":\"ConfigMap\"");
    assertThat(without.events).isEmpty();
  }

  @Test
  void aConsistentListWaitsForTheQuorumsRevision() {
    startCache(100);
    long written = put("a", Map.of());
    CacheList list = cache.consistentList(prefix(), Duration.ofSeconds(5)).join();
    assertThat(list.revision()).isGreaterThanOrEqualTo(written);
    assertThat(list.items()).extracting(CachedObject::key).containsExactly(prefix() + "a");
  }

  private String prefix() {
    return StorageKeys.collectionPrefix(configMaps, "default");
  }

  private long put(String name, Map<String, String> labels) {
    byte[] json = ObjectCodec.encode(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default")
        .withLabels(labels).endMetadata().build());
    String key = prefix() + name;
    var existing = store.get(key).join();
    return (existing.isPresent() ? store.update(key, json, existing.get().modRevision()) : store.create(key, json))
        .join().modRevision();
  }

  private void delete(String name) {
    String key = prefix() + name;
    store.delete(key, store.get(key).join().orElseThrow().modRevision()).join();
  }

  private static final class RecordingSink implements CacheWatcher.Sink {
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    volatile String ended;
    int capacity = Integer.MAX_VALUE;
    Runnable onEnd = () -> { };

    @Override
    public boolean offer(WatchEvent event) {
      if (events.size() >= capacity) {
        return false;
      }
      events.add(event);
      return true;
    }

    @Override
    public void end(String reason) {
      ended = reason;
      onEnd.run();
    }

    void awaitEvents(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (events.size() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(events).hasSizeGreaterThanOrEqualTo(n);
    }

    List<String> describe() {
      return events.stream().map(e -> e.type() + " " + e.object().object().getMetadata().getName() + " "
          + e.revision()).toList();
    }
  }
}
