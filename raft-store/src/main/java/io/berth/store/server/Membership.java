package io.berth.store.server;

import io.berth.store.command.MemberAttributes;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.Member;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * <p>MemberAdd returns at once, as etcd's does: the new member is listed without
 * a name until it starts. Ratis only commits the new configuration once the new
 * member has caught up, so the change is driven in the background until then.
 */
public final class Membership {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);
  private static final Duration ADD_DEADLINE = Duration.ofMinutes(5);

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

  /** The members of the current Raft configuration, with published names and client URLs, by ID. */
  public List<Member> list() {
    Collection<RaftPeer> peers = node.division().getRaftConf().getCurrentPeers();
    Map<Long, MemberAttributes> attributes = node.readLocal(s -> s.members().stream()
        .collect(Collectors.toMap(MemberAttributes::getMemberId, Function.identity())));
    List<Member> members = new ArrayList<>();
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
    }
    // etcd lists members sorted by ID (unsigned), so `etcdctl member list` prints them in a
    // stable order; Ratis' peer collection has none.
    members.sort((a, b) -> Long.compareUnsigned(a.getID(), b.getID()));
    return members;
  }

  /** Adds a voting member at {@code peerUrl}; returns it as etcd's MemberAdd does. */
  public Member add(String peerUrl) {
    String address = MemberIds.hostPort(peerUrl);
    if (!address.contains(":")) {
      throw new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: peer URL must be host:port, got " + peerUrl);
    }
    long id = MemberIds.memberId(address);
    for (RaftPeer peer : node.division().getRaftConf().getCurrentPeers()) {
      if (peer.getAddress().equals(address)) {
        throw new StoreException(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
      }
    }
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
    CompletableFuture.runAsync(() -> setConfigurationUntil(addPeer, deadline, "add " + address), executor);
    log.info("member add: {} ({}) requested; it joins once started with --join", Long.toHexString(id), address);
    return Member.newBuilder().setID(id).addPeerURLs("http://" + address).build();
  }

  /** Removes the member with this ID; completes when the new configuration is committed. */
  public void remove(long memberId) {
    RaftPeerId removed = MemberIds.peerId(memberId);
    List<RaftPeer> current = new ArrayList<>(node.division().getRaftConf().getCurrentPeers());
    if (!current.removeIf(p -> p.getId().equals(removed))) {
      throw new StoreException(Status.Code.NOT_FOUND, "etcdserver: member not found");
    }
    if (current.isEmpty()) {
      throw new StoreException(Status.Code.FAILED_PRECONDITION, "etcdserver: cannot remove the last member");
    }
    setConfiguration(current);
    log.info("member remove: {} removed", Long.toHexString(memberId));
  }

  private void setConfigurationUntil(SetConfigurationRequest.Arguments change, long deadline, String what) {
    while (true) {
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
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void setConfiguration(List<RaftPeer> peers) {
    setConfiguration(SetConfigurationRequest.Arguments.newBuilder().setServersInNewConf(peers).build());
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
