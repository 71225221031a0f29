package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.berth.store.testing.ForkedMember;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence behind the chaos harness' raft-store bug #2 (docs/chaos.md): a member removed,
 * wiped and added back empty catches up by installing the leader's snapshot; after a kill -9
 * (and, in a process of its own, a SIGSTOP past Ratis' 10 s step-down threshold) and a restart on
 * its data dir, it comes back with every acknowledged write and serves reads, as a voter. These
 * two pass without a fix: they did not reproduce the closed division the chaos run saw. The third
 * test does reproduce what made that bug costly: a member whose division Ratis had closed kept
 * reporting ready while refusing every read.
 */
class RejoinAfterSnapshotInstallIT {
  /**
   * The re-added member takes no snapshot of its own (as in the chaos run, where the interval was
   * etcd's 100,000): it restarts from the snapshot it installed plus its log.
   */
  private static final long REJOINED_SNAPSHOT_EVERY = 100_000;

  @TempDir Path dir;

  @Test
  void aMemberThatRejoinedByInstallingASnapshotServesEveryWriteAfterAKillAndRestart() {
    // Snapshot every 20 entries and roll log segments at 8 KB, so the leader's log is purged
    // past the point the re-added member needs, and it has to install a snapshot.
    try (StoreCluster cluster = StoreCluster.start(dir, 3,
        b -> b.snapshotEveryEntries(20).logSegmentBytes(8 * 1024))) {
      Rejoin removed = removeBehindAPurgedLog(cluster);
      String leader = removed.leader();
      String rejoining = removed.member();

      addBackEmpty(cluster, leader, rejoining);
      long joinedStart = cluster.member(rejoining).node().division().getRaftLog().getStartIndex();
      assertThat(joinedStart).as("the re-added member's log starts after an installed snapshot").isGreaterThan(1);

      cluster.putMany(leader, "c/", 100);
      long revisionBeforeKill = cluster.awaitSameRevision(Duration.ofSeconds(20));
      Map<String, Long> acknowledged = keysWithModRevision(cluster.readAllSerializable(leader));

      Crashes.killNine(cluster, rejoining);
      cluster.startMember(rejoining, b -> b.snapshotEveryEntries(REJOINED_SNAPSHOT_EVERY));

      awaitTrue(() -> cluster.member(rejoining).isHealthy(), Duration.ofSeconds(30), () -> rejoining + " healthy");
      assertThat(cluster.awaitSameRevision(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(revisionBeforeKill);
      assertServesEveryKey(cluster, rejoining, acknowledged, true);
      assertServesEveryKey(cluster, rejoining, acknowledged, false);
      assertThat(cluster.member(rejoining).node().division().getRaftConf().getPreviousPeers()).isEmpty();
      assertThat(cluster.member(rejoining).node().division().getRaftConf().getCurrentPeers())
          .extracting(p -> p.getId()).contains(cluster.member(rejoining).node().division().getId());
      assertThat(cluster.member(rejoining).node().division().getInfo().isAlive()).isTrue();

      // It votes: with the leader gone, it and the third member still elect one and commit.
      String third = cluster.running().keySet().stream()
          .filter(n -> !n.equals(leader) && !n.equals(rejoining)).findFirst().orElseThrow();
      Crashes.crash(cluster, leader);
      cluster.awaitLeader(Duration.ofSeconds(20));
      cluster.putMany(rejoining, "d/", 5);
      assertThat(cluster.awaitSameRevision(Duration.ofSeconds(20))).isGreaterThan(revisionBeforeKill);
      assertThat(cluster.readAllSerializable(third).getKvsList()).hasSize(acknowledged.size() + 5);
    }
  }

  /**
   * The same in a process of its own, as in the chaos run: the re-added member is frozen with
   * SIGSTOP for longer than Ratis' step-down threshold (10 s) while the others keep writing,
   * then killed with SIGKILL and started again on its data dir.
   */
  @Test
  void aForkedMemberPausedThenKilledAfterRejoiningByASnapshotServesEveryWrite() throws Exception {
    try (StoreCluster cluster = StoreCluster.start(dir, 3,
        b -> b.snapshotEveryEntries(20).logSegmentBytes(8 * 1024))) {
      Rejoin removed = removeBehindAPurgedLog(cluster);
      String leader = removed.leader();
      String rejoining = removed.member();
      Path log = dir.resolve(rejoining + ".log");
      String address = cluster.configFor(rejoining).build().peerAddress();
      cluster.cluster(leader).memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://" + address).build());
      ForkedMember member = ForkedMember.start(
          cluster.configFor(rejoining).joinExisting(true).snapshotEveryEntries(REJOINED_SNAPSHOT_EVERY).build(), log);
      try {
        awaitTrue(() -> servedRevision(cluster, rejoining) == cluster.revision(leader), Duration.ofSeconds(60),
            () -> rejoining + " caught up");

        member.signal("STOP");
        for (int second = 0; second < 12; second++) {
          cluster.putMany(leader, "p/" + second + "/", 5);
          StoreCluster.sleep(1000);
        }
        member.signal("CONT");
        awaitTrue(() -> servedRevision(cluster, rejoining) == cluster.revision(leader), Duration.ofSeconds(60),
            () -> rejoining + " caught up after the pause");
        cluster.putMany(leader, "c/", 50);
        long revisionBeforeKill = cluster.revision(leader);
        awaitTrue(() -> servedRevision(cluster, rejoining) == revisionBeforeKill, Duration.ofSeconds(30),
            () -> rejoining + " applied everything before the kill");
        Map<String, Long> acknowledged = keysWithModRevision(cluster.readAllSerializable(leader));

        member.kill();
        member = ForkedMember.start(
            cluster.configFor(rejoining).snapshotEveryEntries(REJOINED_SNAPSHOT_EVERY).build(), log);
        awaitTrue(() -> servedRevision(cluster, rejoining) >= revisionBeforeKill, Duration.ofSeconds(60),
            () -> rejoining + " serving again after the restart");
        assertServesEveryKey(cluster, rejoining, acknowledged, true);
        assertServesEveryKey(cluster, rejoining, acknowledged, false);
        long next = cluster.kv(rejoining).put(io.etcd.jetcd.api.PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("after-restart")).build()).getHeader().getRevision();
        assertThat(next).isGreaterThan(revisionBeforeKill);
      } finally {
        member.close();
      }
    }
  }

  /**
   * Ratis closes a division under a running server on its own (a candidate that finds itself
   * outside its configuration shuts down; so does a state machine updater that fails): the
   * member must then stop reporting ready and healthy, and answer UNAVAILABLE, rather than go
   * on looking ready while every read fails with a RejectedExecutionException.
   */
  @Test
  void aMemberWhoseRaftDivisionRatisClosedIsNeitherReadyNorHealthy() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      String member = cluster.followerName();
      cluster.putMany(leader, "a/", 10);
      cluster.awaitSameRevision(Duration.ofSeconds(10));
      assertThat(cluster.member(member).isHealthy()).isTrue();
      assertThat(cluster.member(member).isLive()).isTrue();

      cluster.member(member).node().division().close();

      assertThat(cluster.member(member).isHealthy()).as("healthy with its division closed").isFalse();
      // Ratis never reopens it: only a restart helps, which /livez asks a supervisor for.
      assertThat(cluster.member(member).isLive()).as("live with its division closed").isFalse();
      // A range read is served by this member itself (ReadIndex), not by the leader.
      assertThatThrownBy(() -> cluster.kv(member).range(RangeRequest.newBuilder()
              .setKey(ByteString.copyFromUtf8("a/")).setRangeEnd(ByteString.copyFromUtf8("a0")).build()))
          .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    }
  }

  /** A follower removed and wiped while the leader's log is purged past where it would need to start. */
  private record Rejoin(String leader, String member) {}

  private static Rejoin removeBehindAPurgedLog(StoreCluster cluster) {
    String leader = cluster.awaitLeader(Duration.ofSeconds(10));
    String member = cluster.followerName();
    cluster.putMany(leader, "a/", 200);
    cluster.awaitSameRevision(Duration.ofSeconds(20));

    removeAndWipe(cluster, leader, member);
    RaftLog leaderLog = cluster.member(leader).node().division().getRaftLog();
    for (int round = 0; round < 20 && leaderLog.getStartIndex() <= 1; round++) {
      cluster.putMany(leader, "b/" + round + "/", 50);
    }
    assertThat(leaderLog.getStartIndex()).as("the leader's log was purged").isGreaterThan(1);
    return new Rejoin(leader, member);
  }

  /** The revision a member answers a serializable read with, or -1 while it does not answer. */
  private static long servedRevision(StoreCluster cluster, String member) {
    try {
      return cluster.kv(member).withDeadlineAfter(2, java.util.concurrent.TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("none")).setSerializable(true).build())
          .getHeader().getRevision();
    } catch (io.grpc.StatusRuntimeException e) {
      return -1;
    }
  }

  private static void removeAndWipe(StoreCluster cluster, String via, String member) {
    cluster.cluster(via).memberRemove(MemberRemoveRequest.newBuilder().setID(memberId(cluster, via, member)).build());
    cluster.stopMember(member);
    try {
      FileUtils.deleteFully(cluster.configFor(member).build().dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** MemberAdd, then the member started with --join on an empty data dir; returns once it is a voter in step. */
  private static void addBackEmpty(StoreCluster cluster, String via, String member) {
    String address = cluster.configFor(member).build().peerAddress();
    cluster.cluster(via).memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://" + address).build());
    cluster.startMember(member, b -> b.joinExisting(true).snapshotEveryEntries(REJOINED_SNAPSHOT_EVERY));
    awaitTrue(() -> names(cluster, via).contains(member) && cluster.member(member).node().division().getRaftConf()
            .getPreviousPeers().isEmpty() && !cluster.member(member).node().division().getRaftConf().getCurrentPeers().isEmpty(),
        Duration.ofSeconds(60), () -> member + " back in the configuration");
    cluster.awaitSameRevision(Duration.ofSeconds(30));
  }

  private static void assertServesEveryKey(StoreCluster cluster, String member, Map<String, Long> acknowledged,
      boolean serializable) {
    RangeResponse all = cluster.kv(member).range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFrom(new byte[] {0})).setRangeEnd(ByteString.copyFrom(new byte[] {0}))
        .setSerializable(serializable).build());
    Map<String, Long> served = keysWithModRevision(all);
    assertThat(served).as("%s reads on %s", serializable ? "serializable" : "linearizable", member)
        .containsAllEntriesOf(acknowledged);
  }

  private static Map<String, Long> keysWithModRevision(RangeResponse response) {
    Map<String, Long> keys = new HashMap<>();
    for (KeyValue kv : response.getKvsList()) {
      keys.put(kv.getKey().toStringUtf8(), kv.getModRevision());
    }
    return keys;
  }

  private static long memberId(StoreCluster cluster, String via, String member) {
    return cluster.cluster(via).memberList(MemberListRequest.getDefaultInstance()).getMembersList().stream()
        .filter(m -> m.getName().equals(member)).findFirst().orElseThrow().getID();
  }

  private static List<String> names(StoreCluster cluster, String via) {
    return cluster.cluster(via).memberList(MemberListRequest.getDefaultInstance()).getMembersList().stream()
        .map(Member::getName).toList();
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what.get());
      }
      StoreCluster.sleep(50);
    }
  }
}
