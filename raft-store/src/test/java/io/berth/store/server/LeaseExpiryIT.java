package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.berth.store.testing.ResumingWatch;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases expire by the leader's clock and through the log: every replica
 * deletes a lease's keys in the same revision. A lease that is kept alive
 * survives a leader change, because a new leader starts every lease's clock
 * afresh instead of inheriting deadlines it never saw.
 */
class LeaseExpiryIT {
  private static final long TTL = 2;

  @TempDir Path dir;

  @Test
  void anUnrenewedLeaseExpiresAndEveryReplicaDeletesItsKeysInTheSameRevision() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      String via = cluster.followerName();
      long grantedAt = System.nanoTime();
      long lease = cluster.lease(via).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL).build()).getID();
      cluster.kv(via).put(put("lease/a", lease));
      long putRevision = cluster.kv(via).put(put("lease/b", lease)).getHeader().getRevision();
      cluster.kv(via).put(put("plain", 0));

      List<ResumingWatch> watches = new ArrayList<>();
      for (String member : cluster.running().keySet()) {
        watches.add(new ResumingWatch(cluster, List.of(member), bs("lease/"), bs("lease0"), putRevision + 1));
      }
      try {
        awaitEvents(watches, 2, Duration.ofSeconds(10));
        long expiredAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - grantedAt);
        System.out.printf("lease with TTL %d s: keys deleted %d ms after the grant was sent%n", TTL, expiredAfterMs);

        long deletedAt = watches.get(0).events().get(0).getKv().getModRevision();
        for (ResumingWatch watch : watches) {
          assertThat(watch.events()).as("deletions seen on %s", watch.streams())
              .extracting(Event::getType, e -> e.getKv().getKey().toStringUtf8(), e -> e.getKv().getModRevision())
              .containsExactly(
                  tuple(Event.EventType.DELETE, "lease/a", deletedAt),
                  tuple(Event.EventType.DELETE, "lease/b", deletedAt));
        }
        assertThat(expiredAfterMs).isGreaterThanOrEqualTo(TTL * 1000).isLessThan(TTL * 1000 + 3000);
        for (String member : cluster.running().keySet()) {
          RangeResponse left = cluster.readAllSerializable(member);
          assertThat(left.getKvsList()).as("keys left on %s", member)
              .extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("plain");
          assertThat(left.getHeader().getRevision()).isEqualTo(deletedAt);
        }
        assertThat(cluster.lease(via).leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build())
            .getTTL()).isEqualTo(-1);
      } finally {
        watches.forEach(ResumingWatch::close);
      }
    }
  }

  @Test
  void aLeaseKeptAliveSurvivesALeaderChange() throws Exception {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      String via = cluster.followerName();
      long lease = cluster.lease(via).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL).build()).getID();
      cluster.kv(via).put(put("held", lease));
      for (int i = 0; i < 3; i++) {
        StoreCluster.sleep(500);
        assertThat(keepAliveOnce(cluster, via, lease)).isEqualTo(TTL);
      }
      long lastKeepAlive = System.nanoTime();

      // Kill the leader 1 s into the TTL. Its clock would expire the lease 1 s later;
      // the new leader must start the lease's clock afresh instead.
      StoreCluster.sleep(1000);
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      Crashes.crash(cluster, leader);
      if (via.equals(leader)) {
        via = cluster.running().keySet().iterator().next();
      }
      String newLeader = cluster.awaitLeader(Duration.ofSeconds(10));
      sleepUntil(lastKeepAlive + TimeUnit.MILLISECONDS.toNanos(TTL * 1000 + 300));
      for (String member : cluster.running().keySet()) {
        assertThat(cluster.readAllSerializable(member).getKvsList()).as("keys on %s", member)
            .extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("held");
      }
      long ttlLeft = cluster.lease(via).leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build())
          .getTTL();
      assertThat(ttlLeft).as("TTL left on the new leader %s", newLeader).isBetween(1L, TTL);

      // Keep-alives through a surviving replica now reach the new leader.
      for (int i = 0; i < 5; i++) {
        assertThat(keepAliveOnce(cluster, via, lease)).isEqualTo(TTL);
        StoreCluster.sleep(500);
      }
      assertThat(cluster.readAllSerializable(via).getKvsList()).hasSize(1);

      // And the new leader's clock does run: without keep-alives the lease expires.
      long stoppedKeepingAlive = System.nanoTime();
      awaitGone(cluster, "held", Duration.ofSeconds(TTL + 4));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedKeepingAlive)).isGreaterThan(TTL * 1000 - 600);
    }
  }

  /** One keep-alive on its own stream, as jetcd's keepAliveOnce does; returns the TTL granted. */
  private static long keepAliveOnce(StoreCluster cluster, String member, long lease) throws Exception {
    CompletableFuture<LeaseKeepAliveResponse> reply = new CompletableFuture<>();
    StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(cluster.channel(member))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .leaseKeepAlive(new StreamObserver<>() {
          @Override public void onNext(LeaseKeepAliveResponse r) {
            reply.complete(r);
          }

          @Override public void onError(Throwable t) {
            reply.completeExceptionally(t);
          }

          @Override public void onCompleted() {
            reply.completeExceptionally(new AssertionError("keep-alive stream ended without a reply"));
          }
        });
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
    try {
      return reply.get(10, TimeUnit.SECONDS).getTTL();
    } catch (ExecutionException e) {
      throw new AssertionError("keep-alive through " + member + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("keep-alive through " + member + " got no reply");
    } finally {
      requests.onCompleted();
    }
  }

  private static void awaitEvents(List<ResumingWatch> watches, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!watches.stream().allMatch(w -> w.events().size() >= count)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not every watch saw " + count + " events within " + timeout);
      }
      StoreCluster.sleep(10);
    }
  }

  private static void awaitGone(StoreCluster cluster, String key, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (cluster.running().keySet().stream().anyMatch(m -> cluster.kv(m).range(RangeRequest.newBuilder()
        .setKey(bs(key)).setSerializable(true).build()).getCount() > 0)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(key + " still present after " + timeout);
      }
      StoreCluster.sleep(20);
    }
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      StoreCluster.sleep(TimeUnit.NANOSECONDS.toMillis(left) + 1);
    }
  }

  private static PutRequest put(String key, long lease) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(bs("v")).setLease(lease).build();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
