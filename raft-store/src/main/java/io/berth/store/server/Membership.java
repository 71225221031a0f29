package io.berth.store.server;

import io.berth.store.command.MemberAttributes;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.UnstartedMember;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.Member;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership as etcd's Cluster service shows it, carried out as Ratis
 * configuration changes. A member is its Raft peer; its name and client URLs
 * come from the attributes it published through the log when it started.
 *
 * <p>MemberAdd returns once the new member is recorded through the log, as etcd's
 * does: every replica lists it without a name until it starts. Ratis only commits the new configuration once the new
 * member has caught up, so the change is driven in the background until then.
 */
public final class Membership {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  /** How long an added member may take to start and catch up; etcd waits forever, this is a bounded thread. */
  private static final Duration ADD_DEADLINE = Duration.ofHours(1);
  /** Several election timeouts: long enough for a caught-up follower to take over. */
  private static final Duration LEADER_HANDOVER_TIMEOUT = Duration.ofSeconds(3);

  private final StoreNode node;
  private final ExecutorService executor;
  private final Map<String, String> initialNames;

  Membership(StoreNode node, ExecutorService executor, Map<String, String> initialPeers) {
    this.node = node;
    this.executor = executor;
    // name by peer address, for members that have not published attributes yet
    this.initialNames = initialPeers.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey, (a, b) -> a));
  }

  /**
   * The members of the current Raft configuration, with published names and client URLs,
   * and the members added but not yet joined (no name, as etcd lists unstarted members),
   * sorted by ID.
   */
  public List<Member> list() {
    Collection<RaftPeer> peers = node.division().getRaftConf().getCurrentPeers();
    Map<Long, MemberAttributes> attributes = node.readLocal(s -> s.members().stream()
        .collect(Collectors.toMap(MemberAttributes::getMemberId, Function.identity())));
    List<UnstartedMember> unstarted = node.readLocal(s -> List.copyOf(s.unstartedMembers()));
    List<Member> members = new ArrayList<>();
    Set<Long> listed = new HashSet<>();
    for (RaftPeer peer : peers) {
      long id = MemberIds.memberId(peer.getId());
      Member.Builder member = Member.newBuilder().setID(id).addPeerURLs("http://" + peer.getAddress());
      MemberAttributes published = attributes.get(id);
      if (published != null) {
        member.setName(published.getName()).addAllClientURLs(published.getClientUrlsList());
      } else {
        member.setName(initialNames.getOrDefault(peer.getAddress(), ""));
      }
      members.add(member.build());
      listed.add(id);
    }
    // Added with MemberAdd, not in the configuration yet: unstarted (no name, as etcd lists them)
    // until it publishes its attributes, then started and catching up.
    for (UnstartedMember added : unstarted) {
      if (listed.add(added.getMemberId())) {
        Member.Builder member = Member.newBuilder().setID(added.getMemberId()).addPeerURLs(added.getPeerUrl());
        MemberAttributes published = attributes.get(added.getMemberId());
        if (published != null) {
          member.setName(published.getName()).addAllClientURLs(published.getClientUrlsList());
        }
        members.add(member.build());
      }
    }
    // etcd lists members sorted by ID (unsigned), so `etcdctl member list` prints them in a
    // stable order; Ratis' peer collection has none.
    members.sort((a, b) -> Long.compareUnsigned(a.getID(), b.getID()));
    return members;
  }

  /**
   * Adds a voting member at {@code peerUrl}; completes, as etcd's MemberAdd does, once the
   * member is recorded (listed as unstarted everywhere), before it has joined.
   */
  public CompletableFuture<Member> add(String peerUrl) {
    String address = MemberIds.hostPort(peerUrl);
    if (!address.contains(":")) {
      throw new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: peer URL must be host:port, got " + peerUrl);
    }
    Collection<RaftPeer> current = node.division().getRaftConf().getCurrentPeers();
    List<UnstartedMember> unstarted = node.readLocal(s -> List.copyOf(s.unstartedMembers()));
    boolean known = current.stream().anyMatch(p -> p.getAddress().equals(address))
        || unstarted.stream().anyMatch(m -> MemberIds.hostPort(m.getPeerUrl()).equals(address));
    if (known) {
      throw new StoreException(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
    }
    long id = freshId(current, unstarted);
    UnstartedMember record = UnstartedMember.newBuilder().setMemberId(id).setPeerUrl("http://" + address).build();
    return node.propose(StoreCommand.newBuilder().setUnstartedMember(record).build()).thenApply(recorded -> {
      RaftPeer added = RaftPeer.newBuilder().setId(MemberIds.peerId(id)).setAddress(address).build();
      // ADD, not the full list captured now: each attempt adds the peer to the configuration
      // as it is then. Retrying a captured list would undo a MemberRemove made before the new
      // member started (Ratis refuses it anyway once it changes a majority, so the add never
      // completed).
      SetConfigurationRequest.Arguments addPeer = SetConfigurationRequest.Arguments.newBuilder()
          .setServersInNewConf(List.of(added))
          .setMode(SetConfigurationRequest.Mode.ADD)
          .build();
      long deadline = System.nanoTime() + ADD_DEADLINE.toNanos();
      CompletableFuture.runAsync(() -> addUntil(id, addPeer, deadline, "add " + address), executor);
      log.info("member add: {} ({}) recorded; it joins once started with --join", Long.toHexString(id), address);
      return Member.newBuilder().setID(id).addPeerURLs(record.getPeerUrl()).build();
    });
  }

  /**
   * A new member ID, never one in use, as etcd gives every MemberAdd (it hashes the peer URLs
   * with the time). A member removed and added back at the same address must not inherit the
   * removed member's ID: the leader keys its per-peer Raft state by it (see AddedMemberLookup).
   */
  private static long freshId(Collection<RaftPeer> current, List<UnstartedMember> unstarted) {
    Set<Long> used = new HashSet<>();
    current.forEach(p -> used.add(MemberIds.memberId(p.getId())));
    unstarted.forEach(m -> used.add(m.getMemberId()));
    long id;
    do {
      id = RANDOM.nextLong();
    } while (id == 0 || used.contains(id));
    return id;
  }

  /**
   * Removes the member with this ID; completes when the new configuration is committed.
   * A leader being removed hands its leadership to another member first.
   * The change is a compare-and-set against the configuration it was computed from, so a
   * concurrent change makes it fail rather than be undone.
   */
  public void remove(long memberId) {
    RaftPeerId removed = MemberIds.peerId(memberId);
    List<RaftPeer> current = List.copyOf(node.division().getRaftConf().getCurrentPeers());
    List<RaftPeer> remaining = new ArrayList<>(current);
    boolean inConfiguration = remaining.removeIf(p -> p.getId().equals(removed));
    // Added and not in the configuration yet, started or not: forgetting its record and
    // attributes stops addUntil from staging it.
    boolean unstarted = node.readLocal(s -> s.unstartedMembers().stream().anyMatch(m -> m.getMemberId() == memberId));
    if (!inConfiguration && !unstarted) {
      throw new StoreException(Status.Code.NOT_FOUND, "etcdserver: member not found");
    }
    if (inConfiguration) {
      if (remaining.isEmpty()) {
        throw new StoreException(Status.Code.FAILED_PRECONDITION, "etcdserver: cannot remove the last member");
      }
      if (node.leaderId() == memberId) {
        handOverLeadership(memberId, remaining);
      }
      setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
          .setServersInNewConf(remaining)
          .setServersInCurrentConf(current)
          .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
          .build());
    }
    // Forget its unstarted record or published attributes on every replica.
    node.propose(StoreCommand.newBuilder().setUnstartedMember(UnstartedMember.newBuilder()
        .setMemberId(memberId).setRemoved(true)).build()).join();
    log.info("member remove: {} removed", Long.toHexString(memberId));
  }

  /**
   * Moves leadership off a member about to be removed. A Ratis 3.2 leader that commits
   * its own removal closes itself while holding its server lock, and deadlocks with a
   * client request waiting for that lock (seen in MembershipChangeIT under load): as a
   * follower the member leaves cleanly. etcd's leader steps down after its removal; the
   * outcome for clients is the same.
   *
   * @throws StoreException UNAVAILABLE if no other member took over in time (retry the remove)
   */
  private void handOverLeadership(long leaving, List<RaftPeer> remaining) {
    StoreException last = null;
    for (RaftPeer target : remaining) {
      try {
        moveLeader(MemberIds.memberId(target.getId()), LEADER_HANDOVER_TIMEOUT);
        log.info("member remove: leadership moved from {} to {} first", Long.toHexString(leaving), target.getId());
        return;
      } catch (StoreException e) {
        last = e;
      }
    }
    throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: could not move leadership off the member being "
        + "removed; retry (" + (last == null ? "no other member" : last.getMessage()) + ")");
  }

  /**
   * Drives an add: waits for the member to start, then stages it until the configuration is
   * committed, unless it is removed first or the deadline passes. Staging waits for the member:
   * it starts only once the member has published its attributes (it runs and reaches the
   * leader), because while a staged member does not answer, Ratis refuses every other
   * configuration change (a MemberRemove included) until the staging timeout.
   * The record was applied on the leader, but this replica may apply it a moment later:
   * only its disappearance after it was seen here means a MemberRemove.
   */
  private void addUntil(long memberId, SetConfigurationRequest.Arguments change, long deadline, String what) {
    boolean seen = false;
    while (!published(memberId)) {
      boolean recorded = node.readLocal(s -> s.unstartedMembers().stream().anyMatch(m -> m.getMemberId() == memberId));
      seen |= recorded;
      if (seen && !recorded) {
        log.info("member {}: no longer wanted (removed before it started)", what);
        return;
      }
      if (System.nanoTime() > deadline) {
        log.warn("member {}: gave up: it did not start within {}", what, ADD_DEADLINE);
        return;
      }
      if (!sleep(Duration.ofMillis(200))) {
        return;
      }
    }
    log.info("member {}: started; catching up before it votes", what);
    setConfigurationUntil(change, deadline, what, () -> published(memberId));
  }

  private boolean published(long memberId) {
    return node.readLocal(s -> s.members().stream().anyMatch(m -> m.getMemberId() == memberId));
  }

  private static boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void setConfigurationUntil(SetConfigurationRequest.Arguments change, long deadline, String what,
      java.util.function.BooleanSupplier stillWanted) {
    while (true) {
      if (!stillWanted.getAsBoolean()) {
        log.info("member {}: no longer wanted (removed before it joined)", what);
        return;
      }
      try {
        setConfiguration(change);
        log.info("member {}: configuration committed", what);
        return;
      } catch (StoreException e) {
        if (System.nanoTime() > deadline) {
          log.warn("member {}: gave up: {}", what, e.getMessage());
          return;
        }
        log.info("member {}: not committed yet ({}); retrying", what, e.getMessage());
        if (!sleep(Duration.ofSeconds(1))) {
          return;
        }
      }
    }
  }

  private void setConfiguration(SetConfigurationRequest.Arguments change) {
    try {
      RaftClientReply reply = node.raftClient().admin().setConfiguration(change);
      if (!reply.isSuccess()) {
        throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: " + reply.getException());
      }
    } catch (IOException e) {
      throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: configuration change failed: " + e.getMessage());
    }
  }

  /** Hands leadership to another member. */
  public void moveLeader(long targetMemberId, Duration timeout) {
    try {
      RaftClientReply reply = node.raftClient().admin()
          .transferLeadership(MemberIds.peerId(targetMemberId), timeout.toMillis());
      if (!reply.isSuccess()) {
        throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: " + reply.getException());
      }
    } catch (IOException e) {
      throw new StoreException(Status.Code.UNAVAILABLE, "etcdserver: leader transfer failed: " + e.getMessage());
    }
  }
}
