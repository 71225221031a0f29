package io.berth.chaos.nemesis;

import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Network partitions between replicas, by iptables rules inside their containers. Clients in
 * the test process reach every replica all along (their packets come from the network's
 * gateway), so a partition cuts replicas off from each other, not from clients: the case in
 * which a minority side must refuse to serve stale data.
 */
public final class PartitionNemesis implements Nemesis {

  /** Which partition. */
  public enum Shape {
    /** Two random halves; the smaller one has no quorum. */
    HALVES("partition-halves"),
    /** The store leader alone on one side. */
    LEADER("partition-leader"),
    /** Each replica hears a majority, but no two hear the same one (one-way cuts). */
    RING("partition-ring"),
    /** Two sides that cannot talk, and one replica that talks to both. */
    BRIDGE("partition-bridge");

    final String nemesisName;

    Shape(String nemesisName) {
      this.nemesisName = nemesisName;
    }
  }

  private final Shape shape;

  public PartitionNemesis(Shape shape) {
    this.shape = shape;
  }

  @Override
  public String name() {
    return shape.nemesisName;
  }

  @Override
  public Kind kind() {
    return Kind.NETWORK;
  }

  @Override
  public Injected inject(ChaosCluster cluster, Random random) {
    List<Replica> replicas = new ArrayList<>(cluster.replicas());
    Collections.shuffle(replicas, random);
    return switch (shape) {
      case HALVES -> cut(replicas.subList(0, replicas.size() / 2), replicas.subList(replicas.size() / 2, replicas.size()));
      case LEADER -> {
        Replica leader = cluster.leader().orElse(replicas.get(0));
        List<Replica> others = new ArrayList<>(replicas);
        others.remove(leader);
        yield cut(List.of(leader), others);
      }
      case RING -> ring(replicas);
      case BRIDGE -> bridge(replicas);
    };
  }

  private static Injected cut(List<Replica> a, List<Replica> b) {
    for (Replica replica : a) {
      replica.dropTrafficWith(b);
    }
    for (Replica replica : b) {
      replica.dropTrafficWith(a);
    }
    return new Injected(names(a) + " | " + names(b), names(a).isEmpty() ? List.of() : toNames(a));
  }

  /**
   * Replica i (in a shuffled ring) hears itself and the next n/2 replicas and drops what the
   * others send: every replica has a majority, and each a different one.
   */
  private static Injected ring(List<Replica> ring) {
    int n = ring.size();
    List<String> views = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Replica> heard = new ArrayList<>();
      List<Replica> deaf = new ArrayList<>();
      for (int d = 0; d < n; d++) {
        (d <= n / 2 ? heard : deaf).add(ring.get((i + d) % n));
      }
      ring.get(i).dropIncomingFrom(deaf);
      views.add(ring.get(i).name() + " hears " + names(heard));
    }
    return new Injected(String.join("; ", views), toNames(ring));
  }

  /** A bridge replica in the middle; the rest split in two sides that only reach it. */
  private static Injected bridge(List<Replica> replicas) {
    Replica bridge = replicas.get(0);
    List<Replica> rest = replicas.subList(1, replicas.size());
    List<Replica> left = rest.subList(0, rest.size() / 2);
    List<Replica> right = rest.subList(rest.size() / 2, rest.size());
    cut(left, right);
    return new Injected(names(left) + " | " + names(right) + " bridged by " + bridge.name(), List.of(bridge.name()));
  }

  @Override
  public void heal(ChaosCluster cluster) {
    for (Replica replica : cluster.replicas()) {
      replica.healNetwork();
    }
  }

  private static List<String> toNames(List<Replica> replicas) {
    return replicas.stream().map(Replica::name).toList();
  }

  private static String names(List<Replica> replicas) {
    return replicas.stream().map(Replica::name).collect(Collectors.joining(",", "{", "}"));
  }
}
