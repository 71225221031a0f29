package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversized requests and a full store get etcd's errors, and the store keeps serving. */
class RequestLimitsIT {
  @TempDir Path dir;

  @Test
  void oversizedRequestIsRefusedAsTooLargeAndFullStoreAsSpaceExceeded() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3, b -> b.maxRequestBytes(64 * 1024).quotaBytes(256 * 1024))) {
      String member = cluster.names().get(0);
      var kv = cluster.kv(member);

      assertThatThrownBy(() -> kv.put(put("big", 100 * 1024)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: request is too large");
          });
      // Far beyond the gRPC inbound limit too: still a clear status, not a dropped connection.
      assertThatThrownBy(() -> kv.put(put("huge", 4 * 1024 * 1024)))
          .isInstanceOf(StatusRuntimeException.class);

      int written = 0;
      StatusRuntimeException full = null;
      for (int i = 0; i < 100 && full == null; i++) {
        try {
          kv.put(put("fill/" + i, 32 * 1024));
          written++;
        } catch (StatusRuntimeException e) {
          full = e;
        }
      }
      assertThat(written).isBetween(4, 8);
      assertThat(full).isNotNull();
      assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(full.getStatus().getDescription()).isEqualTo("etcdserver: mvcc: database space exceeded");

      // Reads still work, on every member.
      for (String name : cluster.names()) {
        assertThat(cluster.kv(name).range(RangeRequest.newBuilder()
            .setKey(bs("fill/")).setRangeEnd(bs("fill0")).setCountOnly(true).build()).getCount())
            .isEqualTo(written);
      }
    }
  }

  private static PutRequest put(String key, int valueBytes) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(ByteString.copyFrom(new byte[valueBytes])).build();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
