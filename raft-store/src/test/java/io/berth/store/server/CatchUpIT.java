package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that was down catches up when it comes back: from the leader's log
 * when the entries it missed are still there, and by installing a snapshot when
 * they were purged. Either way it then serves, from its own state, the same
 * data at the same revision as the others, history included.
 */
class CatchUpIT {
  @TempDir Path dir;

  @Test
  void aFollowerBehindThePurgedLogCatchesUpByInstallingASnapshot() {
    // Snapshot every 20 entries, and roll log segments at 8 KB so that purging
    // (which deletes only closed segments) actually removes entries.
    try (StoreCluster cluster = StoreCluster.start(dir, 3,
        b -> b.snapshotEveryEntries(20).logSegmentBytes(8 * 1024))) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      String lagging = cluster.followerName();
      write(cluster, leader, "a/", 20);
      long revisionWhenStopped = cluster.awaitSameRevision(Duration.ofSeconds(10));
      long lastIndexWhenStopped = cluster.member(lagging).node().lastLogIndex();
      cluster.stopMember(lagging);

      // Concurrent writes share log entries (group commit), so write rounds until the
      // leader has snapshotted and purged past what the stopped follower has.
      RaftLog leaderLog = cluster.member(leader).node().division().getRaftLog();
      int written = 0;
      for (int round = 0; round < 40 && leaderLog.getStartIndex() <= lastIndexWhenStopped + 1; round++) {
        write(cluster, leader, "b/" + round + "/", 50);
        written += 50;
      }
      awaitTrue(() -> leaderLog.getStartIndex() > lastIndexWhenStopped + 1, Duration.ofSeconds(10),
          "the leader purged the entries the stopped follower lacks");

      StoreServer restarted = cluster.startMember(lagging);
      long revision = cluster.awaitSameRevision(Duration.ofSeconds(30));
      assertThat(revision).isEqualTo(revisionWhenStopped + written);
      // The missed entries never reached its log: its log starts after them, at the installed snapshot.
      assertThat(restarted.node().division().getRaftLog().getStartIndex())
          .isGreaterThan(lastIndexWhenStopped + 1);
      // The installed snapshot is registered as the latest one a moment after the data is in place.
      awaitTrue(() -> restarted.node().stateMachine().getLatestSnapshot() != null
              && restarted.node().stateMachine().getLatestSnapshot().getIndex() > lastIndexWhenStopped,
          Duration.ofSeconds(10), "the restarted follower's latest snapshot is the installed one");

      assertSameDataEverywhere(cluster, revision, revisionWhenStopped + 10);
      // And it keeps up with new writes after the installation.
      long next = cluster.kv(lagging).put(put("c/after", "v")).getHeader().getRevision();
      assertThat(cluster.awaitSameRevision(Duration.ofSeconds(10))).isEqualTo(next);
      assertSameDataEverywhere(cluster, next, revisionWhenStopped + 10);
    }
  }

  @Test
  void aRestartedFollowerCatchesUpFromTheLog() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      String lagging = cluster.followerName();
      write(cluster, leader, "a/", 20);
      long revisionWhenStopped = cluster.awaitSameRevision(Duration.ofSeconds(10));
      long lastIndexWhenStopped = cluster.member(lagging).node().lastLogIndex();
      cluster.stopMember(lagging);

      write(cluster, leader, "b/", 100);
      long leaderLastIndex = cluster.member(leader).node().lastLogIndex();
      StoreServer restarted = cluster.startMember(lagging);
      long revision = cluster.awaitSameRevision(Duration.ofSeconds(20));
      assertThat(revision).isEqualTo(revisionWhenStopped + 100);
      // It received the missed entries as log entries: they are in its own log.
      RaftLog log = restarted.node().division().getRaftLog();
      assertThat(log.getStartIndex()).isLessThanOrEqualTo(lastIndexWhenStopped + 1);
      assertThat(log.getLastCommittedIndex()).isGreaterThanOrEqualTo(leaderLastIndex);

      assertSameDataEverywhere(cluster, revision, revisionWhenStopped + 10);
    }
  }

  /** Serializable reads, now and at an older revision, give identical answers on every member. */
  private static void assertSameDataEverywhere(StoreCluster cluster, long revision, long olderRevision) {
    RangeResponse expectedNow = null;
    RangeResponse expectedThen = null;
    for (String name : cluster.running().keySet()) {
      RangeResponse now = cluster.readAllSerializable(name);
      RangeResponse then = cluster.kv(name).range(RangeRequest.newBuilder()
          .setKey(ByteString.copyFrom(new byte[] {0})).setRangeEnd(ByteString.copyFrom(new byte[] {0}))
          .setRevision(olderRevision).setSerializable(true).build());
      assertThat(now.getHeader().getRevision()).as("revision on %s", name).isEqualTo(revision);
      if (expectedNow == null) {
        expectedNow = now;
        expectedThen = then;
        assertThat(now.getKvsList()).isNotEmpty();
        assertThat(then.getCount()).isLessThan(now.getCount());
      }
      assertThat(now.getKvsList()).as("data on %s", name).isEqualTo(expectedNow.getKvsList());
      assertThat(then.getKvsList()).as("data at revision %d on %s", olderRevision, name)
          .isEqualTo(expectedThen.getKvsList());
    }
  }

  private static void write(StoreCluster cluster, String via, String prefix, int count) {
    cluster.putMany(via, prefix, count);
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build();
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      StoreCluster.sleep(20);
    }
  }
}
