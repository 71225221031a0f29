package io.berth.store.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.berth.client.tls.CertificateAuthority;
import io.berth.client.tls.CertificateAuthority.Usage;
import io.berth.client.tls.Identity;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas with TLS on the etcd API and between peers: a control-plane identity writes
 * through one replica and reads through another (so Raft's mutual TLS carries the entry), an
 * agent's certificate is refused by identity, and plaintext gets through on neither port.
 */
class StoreTlsIT {
  @TempDir Path dir;

  @Test
  void onlyControlPlaneIdentitiesOverTlsAndPeersReplicateOverMutualTls() throws Exception {
    Path pki = dir.resolve("pki");
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, "test-ca");
    ca.issue(Identity.of("system:berth-server:s", "system:masters"), Usage.SERVER_AND_CLIENT,
        List.of("127.0.0.1", "localhost"), Duration.ofDays(1)).writeTo(pki, "server");
    ca.issue(Identity.of("admin", "system:masters"), Usage.CLIENT, List.of(), Duration.ofDays(1)).writeTo(pki, "admin");
    ca.issue(Identity.of("system:node:n1", "system:nodes"), Usage.CLIENT, List.of(), Duration.ofDays(1))
        .writeTo(pki, "node");
    StoreTls serverTls = tls(pki, "server");

    try (StoreCluster cluster = StoreCluster.start(dir.resolve("data"), 3, b -> b.tls(serverTls))) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(30));
      String follower = cluster.names().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      ManagedChannel admin = StoreTls.channel(cluster.clientEndpoint(follower), tls(pki, "admin"));
      ManagedChannel other = StoreTls.channel(cluster.clientEndpoint(leader), tls(pki, "admin"));
      ManagedChannel node = StoreTls.channel(cluster.clientEndpoint(leader), tls(pki, "node"));
      ManagedChannel plaintext = StoreTls.channel(cluster.clientEndpoint(leader), null);
      ManagedChannel plaintextPeer = StoreTls.channel(cluster.member(leader).config().peerAddress(), null);
      try {
        kv(admin).put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v")).build());
        assertThat(kv(other).range(RangeRequest.newBuilder().setKey(bytes("k")).build()).getKvs(0).getValue())
            .isEqualTo(bytes("v"));

        // Members publish https client URLs, as etcd does with TLS, once each has published at all.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> urls = List.of();
        while (System.nanoTime() < deadline) {
          urls = ClusterGrpc.newBlockingStub(admin).withDeadlineAfter(5, TimeUnit.SECONDS)
              .memberList(MemberListRequest.getDefaultInstance()).getMembersList().stream()
              .flatMap(m -> m.getClientURLsList().stream()).toList();
          if (urls.size() == 3) {
            break;
          }
          Thread.sleep(100);
        }
        assertThat(urls).hasSize(3).allSatisfy(url -> assertThat(url).startsWith("https://127.0.0.1:"));

        assertThatThrownBy(() -> kv(node).range(RangeRequest.newBuilder().setKey(bytes("k")).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("system:node:n1");
            });
        for (ManagedChannel refused : List.of(plaintext, plaintextPeer)) {
          assertThatThrownBy(() -> kv(refused).range(RangeRequest.newBuilder().setKey(bytes("k")).build()))
              .isInstanceOfSatisfying(StatusRuntimeException.class,
                  e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
      } finally {
        for (ManagedChannel channel : List.of(admin, other, node, plaintext, plaintextPeer)) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static StoreTls tls(Path pki, String name) {
    return new StoreTls(pki.resolve(name + ".crt"), pki.resolve(name + ".key"), pki.resolve("ca.crt"));
  }

  private static KVGrpc.KVBlockingStub kv(ManagedChannel channel) {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
