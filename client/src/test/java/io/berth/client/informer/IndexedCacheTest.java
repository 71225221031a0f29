package io.berth.client.informer;

import static io.berth.client.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexedCacheTest {
  private final IndexedCache<Pod> cache = new IndexedCache<>(Map.of("node",
      pod -> List.of(pod.getSpec().getNodeName())));

  @Test
  void anObjectThatMovesIsFoundOnlyUnderItsNewValue() {
    cache.put(pod("default", "a", "1", "node-1"));
    cache.put(pod("default", "a", "2", "node-2"));

    assertThat(cache.byIndex("node", "node-1")).isEmpty();
    assertThat(cache.byIndex("node", "node-2")).extracting(p -> p.getMetadata().getResourceVersion())
        .containsExactly("2");
  }

  @Test
  void removingAndReplacingKeepTheIndexesInStep() {
    cache.put(pod("default", "a", "1", "node-1"));
    cache.put(pod("other", "b", "1", "node-1"));
    cache.remove("default/a");

    assertThat(cache.byIndex("node", "node-1")).extracting(ObjectKeys::key).containsExactly("other/b");
    assertThat(cache.byIndex(IndexedCache.NAMESPACE_INDEX, "default")).isEmpty();

    Map<String, Pod> previous = cache.replace(List.of(pod("default", "c", "5", "node-3")));

    assertThat(previous).containsOnlyKeys("other/b");
    assertThat(cache.byIndex("node", "node-1")).isEmpty();
    assertThat(cache.get("default", "c")).isPresent();
  }

  @Test
  void anIndexerThatFailsLeavesTheObjectOutOfItsIndexOnly() {
    Pod noSpec = pod("default", "a", "1");
    noSpec.setSpec(null);

    cache.put(noSpec);

    assertThat(cache.get("default", "a")).isPresent();
    assertThat(cache.byIndex(IndexedCache.NAMESPACE_INDEX, "default")).hasSize(1);
  }
}
