package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.testing.ResumingWatch;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch survives the death of the replica serving it: the client resumes on
 * another replica at the revision after the last one it saw, and the events it
 * receives, over both streams, are exactly the revisions written, in order,
 * none missing and none repeated.
 */
class WatchAcrossLeaderChangeIT {
  private static final int WRITES = 60;

  @TempDir Path dir;

  @Test
  void aWatchResumedOnAnotherReplicaSeesEveryRevisionOnceAndInOrder() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      String writer = cluster.followerName();
      String other = cluster.running().keySet().stream()
          .filter(n -> !n.equals(leader) && !n.equals(writer)).findFirst().orElseThrow();
      long start = cluster.kv(writer).put(put("before", "x")).getHeader().getRevision() + 1;

      // The watch starts on the leader, which is killed mid-way (whatever its role by then,
      // its stream breaks); the watch resumes on the others.
      List<Long> acknowledged = new ArrayList<>();
      int failedWrites = 0;
      try (ResumingWatch watch = new ResumingWatch(cluster, List.of(leader, other, writer),
          bs("w/"), bs("w0"), start)) {
        for (int i = 0; i < WRITES; i++) {
          if (i == WRITES / 2) {
            Crashes.crash(cluster, leader);
          }
          // Each attempt writes its own key, so a failed attempt that did commit is
          // still told apart; the store's final content says what was written.
          try {
            acknowledged.add(cluster.kv(writer).withDeadlineAfter(5, TimeUnit.SECONDS)
                .put(put(String.format("w/%04d", i), "v" + i)).getHeader().getRevision());
          } catch (StatusRuntimeException e) {
            failedWrites++;
          }
        }
        long last = acknowledged.get(acknowledged.size() - 1);
        watch.awaitRevision(last, Duration.ofSeconds(10));

        List<KeyValue> written = cluster.kv(writer).range(RangeRequest.newBuilder()
            .setKey(bs("w/")).setRangeEnd(bs("w0")).build()).getKvsList();
        List<Long> writtenRevisions = written.stream().map(KeyValue::getModRevision).sorted().toList();
        List<Long> watchedRevisions = watch.events().stream().map(e -> e.getKv().getModRevision()).toList();
        System.out.printf("watch streams %s; %d events; %d writes acknowledged, %d failed%n",
            watch.streams(), watchedRevisions.size(), acknowledged.size(), failedWrites);

        assertThat(watch.streams()).as("streams opened").hasSizeGreaterThanOrEqualTo(2);
        assertThat(watch.problems()).isEmpty();
        assertThat(writtenRevisions).containsAll(acknowledged);
        assertThat(watchedRevisions).as("watched revisions").containsExactlyElementsOf(writtenRevisions);
        assertThat(watch.events()).allSatisfy(e -> assertThat(e.getType()).isEqualTo(Event.EventType.PUT));
        assertThat(watch.events().stream().map(e -> e.getKv().getKey()).toList())
            .containsExactlyElementsOf(written.stream().sorted(Comparator.comparingLong(KeyValue::getModRevision))
                .map(KeyValue::getKey).toList());
      }
    }
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
