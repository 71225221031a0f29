package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.testing.BackgroundWriter;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping every member while a client writes, then starting them all again on
 * their data dirs: every acknowledged write is there, on every member, and no
 * member's revision went backwards.
 */
class DurabilityIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesStoppingAllMembersDuringWrites() {
    // Snapshots every 100 entries: the restart recovers from a snapshot plus the log after it.
    try (StoreCluster cluster = StoreCluster.start(dir, 3, b -> b.snapshotEveryEntries(100))) {
      List<String> names = cluster.names();
      Map<String, Long> revisionAtStop = new LinkedHashMap<>();
      BackgroundWriter writer = new BackgroundWriter(cluster, "d/", names);
      try {
        writer.awaitAcknowledged(150, Duration.ofSeconds(30));
        for (String name : names) {
          revisionAtStop.put(name, cluster.revision(name));
          Crashes.crash(cluster, name);
          StoreCluster.sleep(200);
        }
      } finally {
        writer.close();
      }
      Map<String, Long> acknowledged = writer.acknowledged();
      long maxAcknowledged = writer.maxAcknowledgedRevision();
      System.out.printf("%d writes acknowledged up to revision %d; revisions at stop %s%n",
          acknowledged.size(), maxAcknowledged, revisionAtStop);

      names.forEach(cluster::startMember);
      cluster.awaitLeader(Duration.ofSeconds(20));
      long revision = cluster.awaitSameRevision(Duration.ofSeconds(20));
      assertThat(revision).isGreaterThanOrEqualTo(maxAcknowledged);
      revisionAtStop.forEach((name, before) -> assertThat(cluster.revision(name))
          .as("revision of %s after the restart", name).isGreaterThanOrEqualTo(before));

      for (String name : names) {
        Map<String, KeyValue> stored = new HashMap<>();
        cluster.readAllSerializable(name).getKvsList().forEach(kv -> stored.put(kv.getKey().toStringUtf8(), kv));
        // A put retried after a timeout may have been applied twice; the later one wins.
        acknowledged.forEach((key, ackRevision) -> assertThat(stored.get(key)).as("%s on %s", key, name)
            .isNotNull().satisfies(kv -> assertThat(kv.getModRevision()).isGreaterThanOrEqualTo(ackRevision)));
      }
      long next = cluster.kv(names.get(0)).put(PutRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("after-restart")).build()).getHeader().getRevision();
      assertThat(next).isEqualTo(revision + 1);
    }
  }
}
