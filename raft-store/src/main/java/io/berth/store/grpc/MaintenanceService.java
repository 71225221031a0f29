package io.berth.store.grpc;

import com.google.protobuf.ByteString;
import io.berth.store.server.Membership;
import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * etcd's Maintenance service: Status, Alarm (NOSPACE when the quota is used up),
 * Snapshot (this replica's state in Berth's format, streamed with etcd's SHA-256
 * trailer), MoveLeader. Defragment is a no-op: the store keeps its state in
 * memory and has no file to compact. HashKV checksums the key versions up to a
 * revision (replicas in agreement answer alike); Hash, of etcd's bbolt file, is not supported.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  /** The etcd API version Berth speaks (3.5 calls such as LeaseLeases are served). */
  public static final String VERSION = "3.5.0";
  private static final int SNAPSHOT_CHUNK_BYTES = 32 * 1024;
  /** etcdctl expects the snapshot bytes before the SHA-256 trailer to fill whole blocks of this size. */
  private static final int SNAPSHOT_BLOCK_BYTES = 512;

  private final StoreNode node;
  private final Membership membership;
  private final Replies replies;
  private final long quotaBytes;
  private final Executor executor;

  public MaintenanceService(StoreNode node, Membership membership, long quotaBytes, Executor executor) {
    this.node = node;
    this.membership = membership;
    this.replies = new Replies(node);
    this.quotaBytes = quotaBytes;
    this.executor = executor;
  }

  private long revision() {
    return node.readLocal(s -> s.mvcc().revision());
  }

  private boolean overQuota() {
    return node.readLocal(s -> s.mvcc().sizeBytes()) >= quotaBytes;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
    replies.replyNow(() -> {
      long size = node.readLocal(s -> s.mvcc().sizeBytes());
      StatusResponse.Builder status = StatusResponse.newBuilder()
          .setHeader(replies.header(revision()))
          .setVersion(VERSION)
          .setDbSize(size)
          .setDbSizeInUse(size)
          .setLeader(node.leaderId())
          .setRaftIndex(node.commitIndex())
          .setRaftTerm(node.term())
          .setRaftAppliedIndex(node.appliedIndex());
      if (overQuota()) {
        status.addErrors("memberID:" + node.memberId() + " alarm:NOSPACE ");
      }
      return status.build();
    }, observer);
  }

  @Override
  public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
    replies.replyNow(() -> {
      AlarmResponse.Builder response = AlarmResponse.newBuilder().setHeader(replies.header(revision()));
      if (overQuota()) {
        response.addAlarms(AlarmMember.newBuilder().setMemberID(node.memberId()).setAlarm(AlarmType.NOSPACE));
      }
      return response.build();
    }, observer);
  }

  @Override
  public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> observer) {
    replies.replyNow(() -> DefragmentResponse.newBuilder().setHeader(replies.header(revision())).build(), observer);
  }

  @Override
  public void hash(HashRequest request, StreamObserver<HashResponse> observer) {
    observer.onError(Status.UNIMPLEMENTED.withDescription("etcdserver: Hash is not supported by Berth").asRuntimeException());
  }

  /** etcd's HashKV: a checksum of the key versions up to a revision; equal on replicas in agreement. */
  @Override
  public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> observer) {
    replies.replyNow(() -> node.readLocal(s -> {
      long at = s.mvcc().resolveReadRevision(request.getRevision());
      return HashKVResponse.newBuilder()
          .setHeader(replies.header(s.mvcc().revision()))
          .setHash(s.mvcc().hash(at))
          .setCompactRevision(s.mvcc().compactedRevision())
          .build();
    }), observer);
  }

  @Override
  public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> observer) {
    replies.reply(CompletableFuture.supplyAsync(() -> {
      membership.moveLeader(request.getTargetID(), Duration.ofSeconds(10));
      return MoveLeaderResponse.newBuilder().setHeader(replies.header(revision())).build();
    }, executor), r -> r, observer);
  }

  /**
   * Streams a consistent copy of this replica's state, written to a temporary file first,
   * framed as etcd frames its snapshots: etcdctl 3.4's {@code snapshot save} refuses a stream
   * ("sha256 checksum not found") unless it ends with the SHA-256 of all the bytes before it,
   * and it only looks for that digest when those bytes are a whole number of 512-byte blocks
   * (as bbolt files are). So the file is padded with zeros to such a size, which the snapshot
   * reader ignores (it stops after the header's record count), and the digest follows it.
   */
  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
    executor.execute(() -> {
      Path file = null;
      try {
        file = Files.createTempFile("berth-snapshot-", ".db");
        long revision = node.stateMachine().writeSnapshotTo(file);
        long size = Files.size(file);
        long remaining = (size + SNAPSHOT_BLOCK_BYTES - 1) / SNAPSHOT_BLOCK_BYTES * SNAPSHOT_BLOCK_BYTES;
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
          byte[] chunk = new byte[SNAPSHOT_CHUNK_BYTES];
          int n;
          while ((n = in.read(chunk)) > 0) {
            remaining -= n;
            sha256.update(chunk, 0, n);
            observer.onNext(snapshotChunk(revision, remaining, ByteString.copyFrom(chunk, 0, n)));
          }
        }
        if (remaining > 0) {
          byte[] padding = new byte[(int) remaining];
          sha256.update(padding);
          observer.onNext(snapshotChunk(revision, 0, ByteString.copyFrom(padding)));
        }
        observer.onNext(snapshotChunk(revision, 0, ByteString.copyFrom(sha256.digest())));
        observer.onCompleted();
      } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
        observer.onError(Status.INTERNAL.withDescription("etcdserver: snapshot failed: " + e.getMessage())
            .asRuntimeException());
      } finally {
        if (file != null) {
          try {
            Files.deleteIfExists(file);
          } catch (IOException ignored) {
            // a temporary file left behind is harmless
          }
        }
      }
    });
  }

  private SnapshotResponse snapshotChunk(long revision, long remainingBytes, ByteString blob) {
    return SnapshotResponse.newBuilder()
        .setHeader(replies.header(revision))
        .setRemainingBytes(remainingBytes)
        .setBlob(blob)
        .build();
  }
}
