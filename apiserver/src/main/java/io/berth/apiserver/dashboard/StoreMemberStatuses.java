package io.berth.apiserver.dashboard;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.berth.store.server.MemberIds;
import io.berth.store.server.Membership;
import io.berth.store.tls.StoreTls;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks every member of the store's current configuration for its Maintenance Status over
 * the etcd API, as {@code etcdctl endpoint status --cluster} does: each member's own word
 * on leader, term and applied index, not this replica's guess. Members answer in parallel
 * within a short deadline, so one partitioned member slows the page by that much at most.
 * Channels are kept per endpoint and reused.
 */
public final class StoreMemberStatuses implements MemberStatuses, AutoCloseable {
  private static final long DEADLINE_MS = 1500;

  private final Membership membership;
  private final StoreTls tls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /** @param tls the client identity to present when the store requires TLS; null for plain gRPC */
  public StoreMemberStatuses(Membership membership, StoreTls tls) {
    this.membership = membership;
    this.tls = tls;
  }

  @Override
  public CompletableFuture<List<MemberStatus>> read() {
    List<CompletableFuture<MemberStatus>> answers = new ArrayList<>();
    for (Member member : membership.list()) {
      answers.add(statusOf(member));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<MemberStatus> statusOf(Member member) {
    String name = member.getName();
    long id = member.getID();
    if (member.getClientURLsCount() == 0) {
      return CompletableFuture.completedFuture(MemberStatus.unreachable(name, id, "",
          name.isEmpty() ? "added, not started yet" : "no client URL published yet"));
    }
    String url = member.getClientURLs(0);
    CompletableFuture<MemberStatus> answer = new CompletableFuture<>();
    ManagedChannel channel = channels.computeIfAbsent(MemberIds.hostPort(url), target -> StoreTls.channel(target, tls));
    Futures.addCallback(MaintenanceGrpc.newFutureStub(channel).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
        .status(StatusRequest.getDefaultInstance()), new FutureCallback<>() {
          @Override
          public void onSuccess(StatusResponse s) {
            answer.complete(new MemberStatus(name, id, url, s.getLeader(), s.getRaftTerm(), s.getRaftIndex(),
                s.getRaftAppliedIndex(), s.getDbSize(), null));
          }

          @Override
          public void onFailure(Throwable t) {
            String why = t instanceof StatusRuntimeException e
                ? e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : ": " + e.getStatus().getDescription())
                : String.valueOf(t);
            answer.complete(MemberStatus.unreachable(name, id, url, why));
          }
        }, MoreExecutors.directExecutor());
    return answer;
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
