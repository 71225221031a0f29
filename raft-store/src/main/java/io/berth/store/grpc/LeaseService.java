package io.berth.store.grpc;

import io.berth.store.command.LeaseListRequest;
import io.berth.store.command.LeaseListResponse;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreQuery;
import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Lease service. Grant and revoke go through the log; keep-alive,
 * time-to-live and the lease list are answered by the leader, whose clock alone
 * tracks expiry.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
  /** etcd 3.5's Lease/LeaseLeases, which jetcd-grpc's generated service lacks. */
  static final MethodDescriptor<LeaseListRequest, LeaseListResponse> LEASE_LEASES =
      MethodDescriptor.<LeaseListRequest, LeaseListResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("etcdserverpb.Lease", "LeaseLeases"))
          .setRequestMarshaller(ProtoUtils.marshaller(LeaseListRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(LeaseListResponse.getDefaultInstance()))
          .build();

  private final StoreNode node;
  private final Replies replies;

  public LeaseService(StoreNode node) {
    this.node = node;
    this.replies = new Replies(node);
  }

  /** The service definition with LeaseLeases added beside the generated methods. */
  public ServerServiceDefinition definition() {
    ServerServiceDefinition generated = bindService();
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder("etcdserverpb.Lease");
    generated.getMethods().forEach(builder::addMethod);
    builder.addMethod(LEASE_LEASES, ServerCalls.asyncUnaryCall(this::leaseLeases));
    return builder.build();
  }

  @Override
  public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
    replies.reply(node.propose(StoreCommand.newBuilder().setLeaseGrant(request).build()),
        r -> r.getLeaseGrant().toBuilder().setHeader(replies.header(r.getLeaseGrant().getHeader())).build(), observer);
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> observer) {
    replies.reply(node.propose(StoreCommand.newBuilder().setLeaseRevoke(request).build()),
        r -> r.getLeaseRevoke().toBuilder().setHeader(replies.header(r.getLeaseRevoke().getHeader())).build(), observer);
  }

  @Override
  public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> observer) {
    replies.reply(node.askLeader(StoreQuery.newBuilder().setLeaseTimeToLive(request).build()),
        r -> r.getLeaseTimeToLive().toBuilder()
            .setHeader(replies.header(r.getLeaseTimeToLive().getHeader())).build(), observer);
  }

  void leaseLeases(LeaseListRequest request, StreamObserver<LeaseListResponse> observer) {
    replies.reply(node.askLeader(StoreQuery.newBuilder().setLeaseList(request).build()),
        r -> r.getLeaseList().toBuilder().setHeader(replies.header(r.getLeaseList().getHeader())).build(), observer);
  }

  /** Answers keep-alives in the order they arrive, one at a time per stream. */
  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
    return new StreamObserver<>() {
      private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
      private boolean done;

      @Override
      public synchronized void onNext(LeaseKeepAliveRequest request) {
        previous = previous.thenCompose(ignored ->
            node.askLeader(StoreQuery.newBuilder().setLeaseKeepAlive(request).build())
                .handle((result, error) -> {
                  synchronized (this) {
                    if (done) {
                      return null;
                    }
                    if (error != null) {
                      done = true;
                      out.onError(Replies.status(error));
                    } else {
                      out.onNext(result.getLeaseKeepAlive().toBuilder()
                          .setHeader(replies.header(result.getLeaseKeepAlive().getHeader())).build());
                    }
                  }
                  return null;
                }));
      }

      @Override
      public synchronized void onError(Throwable t) {
        done = true;
      }

      @Override
      public synchronized void onCompleted() {
        previous.whenComplete((v, e) -> {
          synchronized (this) {
            if (!done) {
              done = true;
              out.onCompleted();
            }
          }
        });
      }
    };
  }
}
