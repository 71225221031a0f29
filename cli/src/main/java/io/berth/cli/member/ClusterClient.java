package io.berth.cli.member;

import io.berth.cli.UserError;
import io.berth.store.tls.StoreTls;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The etcd Cluster and Maintenance calls the member commands make, through the first of the
 * given endpoints that answers. Failures the operator can act on become {@link UserError}s
 * that say which call failed and why.
 */
public final class ClusterClient implements AutoCloseable {
  private static final long CALL_SECONDS = 5;
  /** MemberRemove waits for the new configuration to commit, after a leader handover at worst. */
  private static final long REMOVE_SECONDS = 30;

  private final ManagedChannel channel;
  private final String endpoint;
  private final StoreTls tls;
  private final long clusterId;

  private ClusterClient(ManagedChannel channel, String endpoint, StoreTls tls, long clusterId) {
    this.channel = channel;
    this.endpoint = endpoint;
    this.tls = tls;
    this.clusterId = clusterId;
  }

  /** A client of the first endpoint whose MemberList answers. */
  public static ClusterClient connect(List<String> endpoints, StoreTls tls) {
    List<String> problems = new ArrayList<>();
    for (String endpoint : endpoints) {
      ManagedChannel channel = StoreTls.channel(endpoint, tls);
      try {
        MemberListResponse list = ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
            .memberList(MemberListRequest.getDefaultInstance());
        return new ClusterClient(channel, endpoint, tls, list.getHeader().getClusterId());
      } catch (StatusRuntimeException e) {
        channel.shutdownNow();
        problems.add(endpoint + ": " + e.getStatus().getCode() + describe(e));
      }
    }
    throw new UserError("no store endpoint answered (" + String.join("; ", problems) + ")");
  }

  String endpoint() {
    return endpoint;
  }

  long clusterId() {
    return clusterId;
  }

  public List<Member> list() {
    try {
      return ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
          .memberList(MemberListRequest.getDefaultInstance()).getMembersList();
    } catch (StatusRuntimeException e) {
      throw failed("MemberList", e);
    }
  }

  /** MemberAdd of a voting member at {@code peerUrl}; returns the new member (unstarted: no name yet). */
  Member add(String peerUrl) {
    try {
      MemberAddResponse response = ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
          .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).build());
      return response.getMember();
    } catch (StatusRuntimeException e) {
      throw failed("MemberAdd", e);
    }
  }

  /** MemberRemove; returns the members left. */
  List<Member> remove(long id) {
    try {
      return ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(REMOVE_SECONDS, TimeUnit.SECONDS)
          .memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()).getMembersList();
    } catch (StatusRuntimeException e) {
      throw failed("MemberRemove", e);
    }
  }

  /** Maintenance.Status of the member serving {@code endpoint}, if it answers within a second. */
  Optional<StatusResponse> status(String endpoint) {
    return status(endpoint, tls);
  }

  /** As {@link #status(String)}, without a client: for the drill's and the status command's probes. */
  public static Optional<StatusResponse> status(String endpoint, StoreTls tls) {
    ManagedChannel other = StoreTls.channel(endpoint, tls);
    try {
      return Optional.of(MaintenanceGrpc.newBlockingStub(other).withDeadlineAfter(1, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    } finally {
      other.shutdownNow();
    }
  }

  /** host:port of a member's first client URL, or null for a member that has not started. */
  static String clientEndpoint(Member member) {
    return member.getClientURLsCount() == 0 ? null : io.berth.store.server.MemberIds.hostPort(member.getClientURLs(0));
  }

  private UserError failed(String call, StatusRuntimeException e) {
    return new UserError(call + " through " + endpoint + " failed: " + e.getStatus().getCode() + describe(e));
  }

  private static String describe(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return description == null ? "" : " (" + description + ")";
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
