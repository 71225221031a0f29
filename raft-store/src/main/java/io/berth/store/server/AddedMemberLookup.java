package io.berth.store.server;

import io.berth.store.command.StoreQuery;
import io.berth.store.command.StoreResult;
import io.berth.store.command.UnstartedMember;
import io.berth.store.command.UnstartedMembersRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a member started with --join on an empty data dir learns its member ID: MemberAdd gave
 * its peer URL a fresh ID, recorded through the log, and the member asks the running members
 * for it, as an etcd member joining with {@code --initial-cluster-state existing} finds its ID
 * among the cluster's members by its peer URLs.
 *
 * <p>The ID is fresh on every MemberAdd, also for an address that was a member before. Ratis
 * keeps per-peer state on the leader (its log appender, its cached gRPC channel) by peer ID,
 * and a member re-added under its old ID was reached through the removed member's state: in
 * a chaos run such a member stayed STARTING with an empty store for good (docs/chaos.md, bug 2).
 */
final class AddedMemberLookup {
  private static final Logger log = LoggerFactory.getLogger(AddedMemberLookup.class);

  private AddedMemberLookup() {}

  /**
   * The ID MemberAdd gave {@code selfAddress}, asked of the other peers of {@code group}.
   * Retries until {@code timeout} while no member answers or the record has not reached them.
   *
   * @throws IllegalStateException if the cluster answers but lists no unstarted member at that address
   * @throws IOException if no member answered within the timeout
   */
  static long memberIdOf(String selfAddress, RaftGroup group, Parameters tls, Duration timeout) throws IOException {
    List<RaftPeer> others = group.getPeers().stream().filter(p -> !p.getAddress().equals(selfAddress)).toList();
    if (others.isEmpty()) {
      throw new IllegalStateException("--join needs the running members in --peers; it names only this member ("
          + selfAddress + ")");
    }
    RaftProperties properties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "no answer";
    Message query = Message.valueOf(UnsafeByteOperations.unsafeWrap(StoreQuery.newBuilder()
        .setUnstartedMembers(UnstartedMembersRequest.getDefaultInstance()).build().toByteArray()));
    try (RaftClient client = RaftClient.newBuilder()
        .setProperties(properties)
        .setParameters(tls)
        .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), others))
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build()) {
      while (true) {
        try {
          RaftClientReply reply = client.io().sendReadOnly(query);
          if (reply.isSuccess()) {
            StoreResult result = StoreResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
            Optional<UnstartedMember> added = result.getUnstartedMembers().getMembersList().stream()
                .filter(m -> MemberIds.hostPort(m.getPeerUrl()).equals(selfAddress))
                .findFirst();
            if (added.isPresent()) {
              log.info("joining as member {}, the ID MemberAdd gave {}", Long.toHexString(added.get().getMemberId()),
                  selfAddress);
              return added.get().getMemberId();
            }
            // The leader answers linearizably, so an added member would be listed: none was.
            throw new IllegalStateException("the cluster lists no member added at peer address " + selfAddress
                + " that has not started yet; add it first (berth member add, or etcdctl member add NAME "
                + "--peer-urls=http://" + selfAddress + "), or start without --join if it is a founding member. "
                + "A member that has run at this address and lost its data must be removed and added again.");
          }
          lastProblem = String.valueOf(reply.getException());
        } catch (IOException e) {
          lastProblem = e.getMessage();
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("--join: no running member of --peers answered within " + timeout
              + " (last: " + lastProblem + ")");
        }
        log.info("--join: asking the cluster for this member's ID: {}; retrying", lastProblem);
        sleep(1000);
      }
    }
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while joining", e);
    }
  }
}
