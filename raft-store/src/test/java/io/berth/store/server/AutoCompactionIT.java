package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a retention set, the leader compacts older history on its own, on every replica alike. */
class AutoCompactionIT {
  @TempDir Path dir;

  @Test
  void historyOlderThanTheRetentionIsCompactedOnEveryReplica() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3, b -> b.autoCompactionRetention(Duration.ofSeconds(2)))) {
      String member = cluster.names().get(0);
      long first = cluster.kv(member).put(put("k", "1")).getHeader().getRevision();
      cluster.kv(member).put(put("k", "2"));

      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (cluster.running().values().stream()
          .anyMatch(s -> s.node().readLocal(st -> st.mvcc().compactedRevision()) <= first)) {
        assertThat(System.nanoTime()).as("no auto-compaction within 20 s").isLessThan(deadline);
        StoreCluster.sleep(100);
      }

      for (String name : cluster.names()) {
        assertThatThrownBy(() -> cluster.kv(name).range(RangeRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("k")).setRevision(first).setSerializable(true).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                .isEqualTo("etcdserver: mvcc: required revision has been compacted"));
        assertThat(cluster.kv(name).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build())
            .getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
      }
    }
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build();
  }
}
