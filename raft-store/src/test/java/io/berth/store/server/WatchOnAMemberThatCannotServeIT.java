package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.grpc.RequireLeader;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that cannot apply anything cannot deliver events, so its watchers must not wait on
 * it in silence (chaos bug 2: watchers on a member stuck in Ratis' STARTING stopped getting
 * events, with no error). As in etcd, a stream that asked for a leader ("hasleader") ends with
 * "etcdserver: no leader" once its member has lost the leader; a stream on a member whose Raft
 * division is closed ends whatever it asked. A stream on a healthy member is left alone.
 */
class WatchOnAMemberThatCannotServeIT {
  @TempDir Path dir;

  @Test
  void aWatchThatRequiresALeaderEndsWithNoLeaderWhenItsMemberLosesTheLeader() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      String lonely = cluster.followerName();
      Stream requiring = Stream.open(cluster, lonely, true);
      Stream plain = Stream.open(cluster, lonely, false);
      String other = cluster.running().keySet().stream().filter(n -> !n.equals(lonely)).findFirst().orElseThrow();
      cluster.kv(other).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("w/1")).build());
      requiring.awaitEvents(1);
      plain.awaitEvents(1);
      // With a healthy member nothing ends, however long the stream is open.
      StoreCluster.sleep(3000);
      assertThat(requiring.ended).isNotDone();

      cluster.running().keySet().stream().filter(n -> !n.equals(lonely)).toList().forEach(cluster::stopMember);
      Status status = requiring.ended.orTimeout(15, TimeUnit.SECONDS).join();
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.getDescription()).isEqualTo("etcdserver: no leader");
      // A client that did not ask for a leader keeps its stream, as with etcd.
      assertThat(plain.ended).isNotDone();
    }
  }

  @Test
  void everyWatchOnAMemberWhoseRaftDivisionIsClosedEnds() {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      String member = cluster.followerName();
      Stream requiring = Stream.open(cluster, member, true);
      Stream plain = Stream.open(cluster, member, false);
      requiring.awaitCreated();
      plain.awaitCreated();

      // What Ratis does on its own to a candidate outside its configuration, for example.
      cluster.member(member).node().division().close();

      for (Stream stream : new Stream[] {requiring, plain}) {
        Status status = stream.ended.orTimeout(15, TimeUnit.SECONDS).join();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("raft is not running");
      }
    }
  }

  /** A watch of the prefix w/ on one member, recording its events and how it ended. */
  private static final class Stream implements StreamObserver<WatchResponse> {
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final CompletableFuture<Void> created = new CompletableFuture<>();
    final AtomicInteger events = new AtomicInteger();

    static Stream open(StoreCluster cluster, String member, boolean requireLeader) {
      Stream stream = new Stream();
      WatchGrpc.WatchStub stub = cluster.watch(member);
      if (requireLeader) {
        stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(RequireLeader.header()));
      }
      StreamObserver<WatchRequest> requests = stub.watch(stream);
      requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("w/")).setRangeEnd(ByteString.copyFromUtf8("w0"))).build());
      return stream;
    }

    @Override
    public void onNext(WatchResponse response) {
      if (response.getCreated()) {
        created.complete(null);
      }
      events.addAndGet(response.getEventsCount());
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }

    void awaitCreated() {
      created.orTimeout(10, TimeUnit.SECONDS).join();
    }

    void awaitEvents(int count) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (events.get() < count) {
        assertThat(System.nanoTime()).as("%d events within 10 s", count).isLessThan(deadline);
        StoreCluster.sleep(20);
      }
    }
  }
}
