package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatedWritesIT {
  @TempDir Path dir;

  @Test
  void writesThroughAnyReplicaAreReadFromEveryReplica() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      int i = 0;
      for (String name : cluster.names()) {
        cluster.kv(name).put(PutRequest.newBuilder().setKey(bs("k" + i)).setValue(bs("v" + i)).build());
        i++;
      }
      for (String name : cluster.names()) {
        RangeResponse all = cluster.kv(name).range(RangeRequest.newBuilder()
            .setKey(bs("k")).setRangeEnd(bs("l")).build());
        assertThat(all.getKvsList()).extracting(kv -> kv.getValue().toStringUtf8()).containsExactly("v0", "v1", "v2");
        assertThat(all.getHeader().getRevision()).isEqualTo(4);
      }
    }
  }

  @Test
  void replicasThatAppliedTheSameWritesReportTheSameHashKv() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      var kv = cluster.kv(cluster.names().get(0));
      for (int i = 0; i < 50; i++) {
        kv.put(PutRequest.newBuilder().setKey(bs("h/" + (i % 7))).setValue(bs("v" + i)).build());
      }
      kv.deleteRange(io.etcd.jetcd.api.DeleteRangeRequest.newBuilder().setKey(bs("h/3")).build());
      long revision = kv.range(RangeRequest.newBuilder().setKey(bs("h/0")).build()).getHeader().getRevision();
      java.util.Set<Integer> hashes = new java.util.HashSet<>();
      java.util.Set<Integer> earlier = new java.util.HashSet<>();
      for (String name : cluster.names()) {
        // A serializable read first, so this replica has applied the last write before hashing.
        awaitRevision(cluster, name, revision);
        hashes.add(cluster.maintenance(name).hashKV(
            io.etcd.jetcd.api.HashKVRequest.newBuilder().setRevision(revision).build()).getHash());
        earlier.add(cluster.maintenance(name).hashKV(
            io.etcd.jetcd.api.HashKVRequest.newBuilder().setRevision(revision - 1).build()).getHash());
      }
      assertThat(hashes).hasSize(1);
      assertThat(earlier).hasSize(1).doesNotContainAnyElementsOf(hashes);
    }
  }

  private static void awaitRevision(StoreCluster cluster, String name, long revision) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (cluster.kv(name).range(RangeRequest.newBuilder().setKey(bs("h/0")).setSerializable(true).build())
        .getHeader().getRevision() < revision) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      StoreCluster.sleep(20);
    }
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
