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

  /**
   * Concurrent linearizable reads share ReadIndex rounds; each must still see
   * every write acknowledged before it started, whichever replica serves it.
   */
  @Test
  void concurrentLinearizableReadsOnEveryReplicaSeeEveryWriteAcknowledgedBeforeThem() throws Exception {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      java.util.List<Thread> threads = new java.util.ArrayList<>();
      java.util.concurrent.ConcurrentLinkedQueue<String> violations = new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
      for (int t = 0; t < 12; t++) {
        String writeVia = cluster.names().get(t % 3);
        String readVia = cluster.names().get((t + 1) % 3);
        String key = "lin/" + t;
        threads.add(new Thread(() -> {
          var channelW = cluster.channel(writeVia);
          var channelR = cluster.channel(readVia);
          for (int i = 0; i < 15; i++) {
            io.etcd.jetcd.api.KVGrpc.newBlockingStub(channelW).withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs("" + i)).build());
            RangeResponse read = io.etcd.jetcd.api.KVGrpc.newBlockingStub(channelR)
                .withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(bs(key)).build());
            reads.incrementAndGet();
            if (read.getKvsCount() != 1 || !read.getKvs(0).getValue().toStringUtf8().equals("" + i)) {
              violations.add(key + ": wrote " + i + " via " + writeVia + ", read " + read.getKvsList() + " via " + readVia);
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join(60_000);
      }
      assertThat(violations).isEmpty();
      assertThat(reads.get()).isEqualTo(12 * 15);
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
