package io.berth.apiserver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.testing.ApiCluster;
import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's Java client against real API replicas: typed calls get the server's
 * Statuses, and an informer connected to a replica that dies carries on through
 * another, missing no change.
 */
class ClientAgainstReplicasIT {
  @TempDir
  Path root;

  @Test
  void typedCallsAndAnInformerThatOutlivesItsReplica() throws Exception {
    try (ApiCluster cluster = ApiCluster.start(root, 3)) {
      int leader = cluster.leader(Duration.ofSeconds(30));
      int first = cluster.follower();
      List<String> order = List.of(cluster.url(first), cluster.url(otherThan(leader, first)), cluster.url(leader));
      try (Client client = Client.builder().endpoints(order.toArray(String[]::new)).build()) {
        ResourceClient<ConfigMap> configMaps = client.resource(Resource.CONFIG_MAP).inNamespace("default");

        ConfigMap created = configMaps.create(configMap("a", "1"));
        assertThat(created.getMetadata().getUid()).isNotEmpty();
        assertThat(configMaps.get("a")).get().extracting(c -> c.getData().get("k")).isEqualTo("1");
        assertThat(configMaps.get("nothing")).isEmpty();
        assertThatThrownBy(() -> configMaps.create(configMap("a", "2")))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isAlreadyExists()).isTrue());
        ConfigMap stale = new ConfigMapBuilder(created).withData(java.util.Map.of("k", "stale")).build();
        configMaps.update(new ConfigMapBuilder(created).withData(java.util.Map.of("k", "2")).build());
        assertThatThrownBy(() -> configMaps.update(stale))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
        for (int i = 0; i < 7; i++) {
          configMaps.create(configMap("page-" + i, "x"));
        }
        assertThat(configMaps.list(ListOptions.ALL.withLimit(3)).items()).hasSize(8);

        Set<String> present = ConcurrentHashMap.newKeySet();
        try (Informer<ConfigMap> informer = Informer.builder(configMaps).handler(new ResourceEventHandler<>() {
          @Override public void onAdd(ConfigMap c) {
            present.add(c.getMetadata().getName());
          }

          @Override public void onDelete(ConfigMap c) {
            present.remove(c.getMetadata().getName());
          }
        }).build()) {
          informer.start();
          assertThat(informer.awaitSynced(Duration.ofSeconds(20))).isTrue();
          assertThat(present).hasSize(8);

          // The replica the client talks to dies; changes go on through the others.
          cluster.kill(first);
          for (int i = 0; i < 5; i++) {
            configMaps.create(configMap("after-" + i, "x"));
          }
          configMaps.delete("a");
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while ((present.size() != 12 || present.contains("a")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
          }
          assertThat(present).hasSize(12).doesNotContain("a").contains("after-0", "after-4", "page-6");
          assertThat(informer.cache().list()).hasSize(12);
        }
      }
    }
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
        .withData(java.util.Map.of("k", value)).build();
  }

  private static int otherThan(int a, int b) {
    for (int i = 0; i < 3; i++) {
      if (i != a && i != b) {
        return i;
      }
    }
    throw new IllegalStateException();
  }
}
