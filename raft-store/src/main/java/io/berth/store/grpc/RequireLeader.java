package io.berth.store.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * etcd's "require leader" option: a client that sends the metadata {@code hasleader: true}
 * (clientv3.WithRequireLeader; Kubernetes' API server sets it on its watches) wants its
 * streams ended with "etcdserver: no leader" when the member it talks to has lost its
 * leader, rather than kept open and silent while the member is cut off from the cluster.
 */
public final class RequireLeader implements ServerInterceptor {
  static final Metadata.Key<String> HEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
  static final Context.Key<Boolean> REQUIRED = Context.key("berth-require-leader");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    boolean required = "true".equals(headers.get(HEADER));
    return Contexts.interceptCall(Context.current().withValue(REQUIRED, required), call, headers, next);
  }

  /** Whether the call being served asked for a leader. */
  static boolean requested() {
    return Boolean.TRUE.equals(REQUIRED.get());
  }

  /** The metadata a client attaches to ask for it, as clientv3.WithRequireLeader does. */
  public static Metadata header() {
    Metadata metadata = new Metadata();
    metadata.put(HEADER, "true");
    return metadata;
  }
}
