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

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
