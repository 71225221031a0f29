package io.berth.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosClusterIT {

  @Test
  void replicasInContainersReplicateAndAKilledOneComesBackOnItsData(@TempDir Path logs) {
    try (ChaosCluster cluster = ChaosCluster.start(3, BerthHome.find(), logs)) {
      Replica leader = cluster.awaitLeader(Duration.ofSeconds(10));
      Replica follower = cluster.replicas().stream().filter(r -> r != leader).findFirst().orElseThrow();
      KVGrpc.newBlockingStub(follower.channel()).withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v1")).build());

      follower.kill();
      ChaosCluster.await(() -> !follower.serverProcessAlive(), Duration.ofSeconds(10), "server killed");
      cluster.restart(follower);
      ChaosCluster.await(follower::ready, Duration.ofSeconds(60), "restarted replica ready");

      assertThat(KVGrpc.newBlockingStub(follower.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build())
          .getKvs(0).getValue().toStringUtf8()).isEqualTo("v1");
    }
  }
}
