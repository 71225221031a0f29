package io.berth.chaos.cluster;

import com.github.dockerjava.api.DockerClient;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * A cluster of {@code berth server} replicas, each in its own container on a Docker network of
 * its own. Ryuk (Testcontainers' reaper) cannot be pulled here, so the cluster removes its
 * containers and network itself on {@link #close()}, and every container carries the
 * {@link #LABEL} so that what a killed test JVM left behind is removed at the next start.
 */
public final class ChaosCluster implements AutoCloseable {
  static final String LABEL = "io.berth.chaos.run";
  private static final Logger log = LoggerFactory.getLogger(ChaosCluster.class);

  private final Network network;
  private final List<Replica> replicas = new ArrayList<>();
  private final Path logsDir;

  private ChaosCluster(Network network, Path logsDir) {
    this.network = network;
    this.logsDir = logsDir;
  }

  /**
   * Starts {@code size} replicas running the build in {@code berthHome} (the repository root:
   * bin/berth and cli/target) and waits until they serve. Their logs go to {@code logsDir} at
   * {@link #close()}.
   */
  public static ChaosCluster start(int size, Path berthHome, Path logsDir) {
    DockerClient docker = DockerClientFactory.instance().client();
    removeLeftovers(docker);
    BaseImage.ensure(docker);
    String runId = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
    Network network = Network.builder()
        .createNetworkCmdModifier(cmd -> cmd.withName("berth-chaos-" + runId).withLabels(Map.of(LABEL, runId)))
        .build();
    ChaosCluster cluster = new ChaosCluster(network, logsDir);
    try {
      for (int i = 1; i <= size; i++) {
        Replica replica = new Replica("n" + i, network, berthHome, runId);
        cluster.replicas.add(replica);
        replica.create();
      }
      for (Replica replica : cluster.replicas) {
        replica.startServer(cluster.replicas, false);
      }
      cluster.awaitAllReady(Duration.ofSeconds(90));
      cluster.awaitLeader(Duration.ofSeconds(30));
      log.info("chaos cluster of {} replicas is up: {}", size, cluster.replicas.stream()
          .map(r -> r.name() + "=" + r.ip()).toList());
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static void removeLeftovers(DockerClient docker) {
    docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(LABEL)).exec().forEach(c -> {
      log.info("removing container {} left by an earlier run", c.getId());
      docker.removeContainerCmd(c.getId()).withForce(true).exec();
    });
    docker.listNetworksCmd().exec().stream()
        .filter(n -> n.getLabels() != null && n.getLabels().containsKey(LABEL))
        .forEach(n -> {
          log.info("removing network {} left by an earlier run", n.getName());
          docker.removeNetworkCmd(n.getId()).exec();
        });
  }

  public List<Replica> replicas() {
    return List.copyOf(replicas);
  }

  public Replica replica(String name) {
    return replicas.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no replica " + name));
  }

  /** The replica that is the store's Raft leader now, if one answers as leader. */
  public Optional<Replica> leader() {
    Replica best = null;
    long bestTerm = -1;
    for (Replica replica : replicas) {
      try {
        StatusResponse status = MaintenanceGrpc.newBlockingStub(replica.channel())
            .withDeadlineAfter(1, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
        if (status.getLeader() == status.getHeader().getMemberId() && status.getRaftTerm() > bestTerm) {
          best = replica;
          bestTerm = status.getRaftTerm();
        }
      } catch (RuntimeException unreachable) {
        // killed, paused or cut off: not the leader we can use
      }
    }
    return Optional.ofNullable(best);
  }

  public Replica awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Replica> leader = leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      sleep(200);
    }
    throw new IllegalStateException("no store leader within " + timeout);
  }

  public void awaitAllReady(Duration timeout) {
    await(() -> replicas.stream().allMatch(Replica::ready), timeout, "every replica ready");
  }

  /** Starts the server of a replica whose process was killed, on its existing data. */
  public void restart(Replica replica) {
    replica.startServer(replicas, false);
  }

  /**
   * Removes a replica's member from the cluster through another replica and stops its server:
   * the first half of a membership change. Returns false when the store refused (e.g. no quorum).
   */
  public boolean removeMember(Replica replica, Replica via) {
    Member member = members(via).stream().filter(m -> m.getName().equals(replica.memberName())).findFirst()
        .orElseThrow(() -> new IllegalStateException(replica.memberName() + " is not a member"));
    ClusterGrpc.newBlockingStub(via.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
        .memberRemove(MemberRemoveRequest.newBuilder().setID(member.getID()).build());
    replica.setMember(false);
    replica.kill();
    return true;
  }

  /**
   * Adds the replica back as a new member with empty state (as an operator replaces a machine's
   * disk): MemberAdd through another replica, then the server started with {@code --join}.
   */
  public void addBack(Replica replica, Replica via) {
    String peerUrl = "http://" + replica.peerAddress();
    boolean alreadyAdded = members(via).stream().anyMatch(m -> m.getPeerURLsList().contains(peerUrl));
    if (!alreadyAdded) {
      replica.newIncarnation();
      try {
        ClusterGrpc.newBlockingStub(via.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
            .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).build());
      } catch (StatusRuntimeException e) {
        // A timed-out MemberAdd may still have gone through: only the member list can tell.
        await(() -> members(via).stream().anyMatch(m -> m.getPeerURLsList().contains(peerUrl)),
            Duration.ofSeconds(10), replica.name() + " in the member list after an unanswered MemberAdd");
      }
    }
    List<Replica> peers = new ArrayList<>();
    for (Member member : members(via)) {
      replicas.stream().filter(r -> r.memberName().equals(member.getName())).forEach(peers::add);
    }
    if (!peers.contains(replica)) {
      peers.add(replica);
    }
    replica.startServer(peers, true);
    replica.setMember(true);
  }

  public List<Member> members(Replica via) {
    return ClusterGrpc.newBlockingStub(via.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
        .memberList(MemberListRequest.getDefaultInstance()).getMembersList();
  }

  @Override
  public void close() {
    for (Replica replica : replicas) {
      replica.copyLogTo(logsDir);
    }
    for (Replica replica : replicas) {
      try {
        replica.close();
      } catch (RuntimeException e) {
        log.warn("could not stop {}: {}", replica, e.toString());
      }
    }
    try {
      network.close();
    } catch (RuntimeException e) {
      log.warn("could not remove the chaos network: {}", e.toString());
    }
  }

  public static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      sleep(200);
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
