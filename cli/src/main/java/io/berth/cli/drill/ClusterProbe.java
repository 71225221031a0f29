package io.berth.cli.drill;

import io.berth.cli.member.ClusterClient;
import io.berth.election.Election;
import io.berth.election.ElectionSettings;
import io.berth.election.Leader;
import io.berth.election.StoreEndpoints;
import io.berth.store.tls.StoreTls;
import io.etcd.jetcd.api.StatusResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a drill asks the cluster while it runs, through the store's etcd API alone (no Kubernetes
 * credentials needed): each member's Maintenance Status, who leads the store and each component,
 * and whether the replicas have converged. A member that does not answer within a second counts
 * as not answering.
 */
final class ClusterProbe {
  private final List<String> endpoints;
  private final StoreTls tls;

  ClusterProbe(List<String> endpoints, StoreTls tls) {
    this.endpoints = List.copyOf(endpoints);
    this.tls = tls;
  }

  List<String> endpoints() {
    return endpoints;
  }

  StoreTls tls() {
    return tls;
  }

  Optional<StatusResponse> status(String endpoint) {
    try {
      return ClusterClient.status(endpoint, tls);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  Optional<Long> memberIdOf(DrillServer server) {
    return status(server.clientEndpoint()).map(s -> s.getHeader().getMemberId());
  }

  Optional<Long> storeLeader() {
    return storeLeader(endpoints);
  }

  /** The store leader as the first of {@code asked} that knows one sees it. */
  Optional<Long> storeLeader(List<String> asked) {
    for (String endpoint : asked) {
      Optional<StatusResponse> status = status(endpoint);
      if (status.isPresent() && status.get().getLeader() != 0) {
        return Optional.of(status.get().getLeader());
      }
    }
    return Optional.empty();
  }

  /** The applied index of the store leader, or -1 if no member answers as leader. */
  long leaderAppliedIndex() {
    return endpoints.stream().map(this::status).flatMap(Optional::stream)
        .filter(st -> st.getLeader() != 0 && st.getLeader() == st.getHeader().getMemberId())
        .mapToLong(StatusResponse::getRaftAppliedIndex).findFirst().orElse(-1);
  }

  /**
   * Who leads {@code component}'s election, read from the store (as the kube-system Lease mirrors
   * it), other than {@code except}.
   */
  Optional<String> componentLeader(String component, List<String> asked, String except) {
    StoreEndpoints store = new StoreEndpoints(asked, Duration.ofSeconds(1), endpoint -> StoreTls.channel(endpoint, tls));
    try {
      return new Election(store, ElectionSettings.defaults(), component).leader().map(Leader::identity)
          .filter(identity -> !identity.equals(except));
    } catch (RuntimeException e) {
      return Optional.empty();     // no replica answered within the call: failing over
    } finally {
      store.close();
    }
  }

  /** Milliseconds until every replica answered with one leader and the same revision, or -1 after {@code settle}. */
  long awaitConverged(Duration settle) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settle.toNanos();
    while (System.nanoTime() < deadline) {
      Set<Long> revisions = new HashSet<>();
      Set<Long> leaders = new HashSet<>();
      int answered = 0;
      for (String endpoint : endpoints) {
        Optional<StatusResponse> status = status(endpoint);
        if (status.isPresent()) {
          answered++;
          revisions.add(status.get().getHeader().getRevision());
          leaders.add(status.get().getLeader());
        }
      }
      if (answered == endpoints.size() && revisions.size() == 1 && leaders.size() == 1 && !leaders.contains(0L)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(200);
    }
    return -1;
  }
}
