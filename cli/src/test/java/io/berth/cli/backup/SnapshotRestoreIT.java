package io.berth.cli.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import io.berth.cli.local.ClusterFile;
import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore end to end: objects written to a cluster, a snapshot saved, the cluster
 * stopped and its directory deleted, the snapshot restored into a new directory, and the new
 * cluster started there holds every object with its resourceVersion, and takes new writes.
 */
class SnapshotRestoreIT {
  @TempDir
  Path root;

  @RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs =
      new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.root.resolve("restored"));

  @AfterEach
  void down() {
    for (String name : new String[] {"original", "restored"}) {
      if (Files.exists(root.resolve(name).resolve(ClusterFile.NAME))) {
        Main.run("down", "--dir", root.resolve(name).toString());
      }
    }
  }

  @Test
  void aClusterDestroyedAndRestoredFromItsSnapshotHasEveryObjectBack() throws Exception {
    Path original = root.resolve("original");
    assertThat(Main.run("up", "--dir", original.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    Map<String, String> written;
    try (Client client = client(original)) {
      ResourceClient<ConfigMap> configMaps = client.resource(Resource.CONFIG_MAP).inNamespace("default");
      for (int i = 0; i < 25; i++) {
        configMaps.create(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
            .withData(Map.of("i", Integer.toString(i))).build());
      }
      written = versions(configMaps);
    }
    Path backup = root.resolve("backup.db");
    assertThat(Main.run("snapshot", "save", backup.toString(), "--dir", original.toString())).isZero();

    assertThat(Main.run("down", "--dir", original.toString())).isZero();
    deleteTree(original);

    Path restored = root.resolve("restored");
    assertThat(Main.run("snapshot", "restore", backup.toString(), "--dir", restored.toString())).isZero();
    assertThat(Main.run("up", "--dir", restored.toString(), "--detach")).isZero();
    try (Client client = client(restored)) {
      ResourceClient<ConfigMap> configMaps = client.resource(Resource.CONFIG_MAP).inNamespace("default");
      assertThat(versions(configMaps)).as("every object back, each at its resourceVersion").isEqualTo(written);
      long highest = written.values().stream().mapToLong(Long::parseLong).max().orElseThrow();
      ConfigMap after = configMaps.create(new ConfigMapBuilder().withNewMetadata().withName("after").endMetadata()
          .build());
      assertThat(Long.parseLong(after.getMetadata().getResourceVersion())).isGreaterThan(highest);
    }
  }

  @Test
  void aDamagedSnapshotIsRefusedAndNoClusterIsPrepared() throws Exception {
    Path damaged = root.resolve("damaged.db");
    byte[] bytes = new byte[1024 + 32];
    bytes[5] = 1;
    Files.write(damaged, bytes);
    Path restored = root.resolve("restored");
    assertThat(Main.run("snapshot", "restore", damaged.toString(), "--dir", restored.toString())).isNotZero();
    assertThat(restored.resolve(ClusterFile.NAME)).doesNotExist();
  }

  private static Client client(Path dir) throws Exception {
    ClusterFile cluster = ClusterFile.read(dir);
    return Client.builder().endpoints(cluster.withRole("server").stream()
            .map(p -> "http://127.0.0.1:" + p.port("api")).toArray(String[]::new))
        .callTimeout(Duration.ofSeconds(10)).build();
  }

  private static Map<String, String> versions(ResourceClient<ConfigMap> configMaps) {
    return configMaps.list(ListOptions.ALL).items().stream()
        .filter(cm -> cm.getMetadata().getName().startsWith("cm-"))
        .collect(Collectors.toMap(cm -> cm.getMetadata().getName(), cm -> cm.getMetadata().getResourceVersion(),
            (a, b) -> a, TreeMap::new));
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertThat(dir).doesNotExist();
  }
}
