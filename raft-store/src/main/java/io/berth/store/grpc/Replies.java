package io.berth.store.grpc;

import io.berth.store.mvcc.StoreException;
import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Response headers and error statuses as etcd sends them, shared by the gRPC services. */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private final StoreNode node;

  Replies(StoreNode node) {
    this.node = node;
  }

  /** A header naming this member, the cluster, the current term and {@code revision}. */
  ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(node.clusterId())
        .setMemberId(node.memberId())
        .setRaftTerm(node.term())
        .setRevision(revision)
        .build();
  }

  ResponseHeader header(ResponseHeader partial) {
    return header(partial.getRevision());
  }

  /** Completes a unary call from a future, turning failures into etcd's statuses. */
  <T, R> void reply(CompletableFuture<T> future, Function<T, R> toResponse, StreamObserver<R> observer) {
    future.whenComplete((value, error) -> {
      if (error != null) {
        observer.onError(status(error));
        return;
      }
      R response;
      try {
        response = toResponse.apply(value);
      } catch (RuntimeException e) {
        observer.onError(status(e));
        return;
      }
      observer.onNext(response);
      observer.onCompleted();
    });
  }

  /** Runs a synchronous call, reporting a {@link StoreException} as its status. */
  <R> void replyNow(java.util.function.Supplier<R> call, StreamObserver<R> observer) {
    R response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      observer.onError(status(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  static StatusRuntimeException status(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StoreException se) {
      return Status.fromCode(se.code()).withDescription(se.getMessage()).asRuntimeException();
    }
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    log.warn("unexpected failure serving a request", t);
    return Status.INTERNAL.withDescription("etcdserver: " + t).asRuntimeException();
  }
}
