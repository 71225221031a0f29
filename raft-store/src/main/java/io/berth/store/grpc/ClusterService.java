package io.berth.store.grpc;

import io.berth.store.mvcc.StoreException;
import io.berth.store.server.Membership;
import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberPromoteResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MemberUpdateResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** etcd's Cluster service over Ratis configuration changes ({@link Membership}). */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final StoreNode node;
  private final Membership membership;
  private final Replies replies;
  private final Executor executor;

  public ClusterService(StoreNode node, Membership membership, Executor executor) {
    this.node = node;
    this.membership = membership;
    this.replies = new Replies(node);
    this.executor = executor;
  }

  private long revision() {
    return node.readLocal(s -> s.mvcc().revision());
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
    replies.replyNow(() -> MemberListResponse.newBuilder()
        .setHeader(replies.header(revision()))
        .addAllMembers(membership.list())
        .build(), observer);
  }

  @Override
  public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
    CompletableFuture<MemberAddResponse> response;
    try {
      if (request.getIsLearner()) {
        throw new StoreException(Status.Code.UNIMPLEMENTED, "etcdserver: learner members are not supported by Berth");
      }
      if (request.getPeerURLsCount() != 1) {
        throw new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: give exactly one peer URL");
      }
      response = membership.add(request.getPeerURLs(0)).thenApply(added -> {
        // The record is applied on the leader; this replica may not have applied it yet.
        var members = new java.util.ArrayList<>(membership.list());
        if (members.stream().noneMatch(m -> m.getID() == added.getID())) {
          members.add(added);
        }
        return MemberAddResponse.newBuilder().setHeader(replies.header(revision()))
            .setMember(added).addAllMembers(members).build();
      });
    } catch (StoreException e) {
      observer.onError(Replies.status(e));
      return;
    }
    replies.reply(response, r -> r, observer);
  }

  @Override
  public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> observer) {
    // Blocks until the configuration is committed: run it off the gRPC event threads.
    replies.reply(CompletableFuture.supplyAsync(() -> {
      membership.remove(request.getID());
      // The removal is applied on the leader; this replica may not have applied it yet.
      return MemberRemoveResponse.newBuilder().setHeader(replies.header(revision()))
          .addAllMembers(membership.list().stream().filter(m -> m.getID() != request.getID()).toList()).build();
    }, executor), r -> r, observer);
  }

  @Override
  public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> observer) {
    observer.onError(Status.UNIMPLEMENTED.withDescription(
        "etcdserver: member update is not supported by Berth; remove the member and add it at its new address")
        .asRuntimeException());
  }

  @Override
  public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> observer) {
    observer.onError(Status.UNIMPLEMENTED.withDescription(
        "etcdserver: learner members are not supported by Berth").asRuntimeException());
  }
}
