package io.berth.apiserver.dashboard;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The control plane as the dashboard shows it: every store member with what its own
 * Maintenance Status says (leader, term, indexes), or why it did not answer.
 */
@FunctionalInterface
public interface MemberStatuses {
  CompletableFuture<List<MemberStatus>> read();

  /** For an API server that is not told about the store's members: the dashboard says so. */
  static MemberStatuses unknown() {
    return () -> CompletableFuture.completedFuture(List.of());
  }

  /**
   * One member. {@code error} is null when it answered; otherwise the other numbers are 0.
   *
   * @param leaderId the member ID of the leader this member knows of (0: none)
   */
  record MemberStatus(String name, long id, String clientUrl, long leaderId, long term, long raftIndex,
      long appliedIndex, long dbSize, String error) {
    public static MemberStatus unreachable(String name, long id, String clientUrl, String error) {
      return new MemberStatus(name, id, clientUrl, 0, 0, 0, 0, 0, error);
    }
  }
}
