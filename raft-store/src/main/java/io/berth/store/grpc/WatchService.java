package io.berth.store.grpc;

import io.berth.store.server.StoreNode;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;

/** etcd's Watch service: each call is a {@link WatchStream}. */
public final class WatchService extends WatchGrpc.WatchImplBase {
  private final StoreNode node;
  private final Executor executor;

  public WatchService(StoreNode node, Executor executor) {
    this.node = node;
    this.executor = executor;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responseObserver) {
    return new WatchStream(node, responseObserver, executor);
  }
}
