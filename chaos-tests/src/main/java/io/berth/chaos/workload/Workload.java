package io.berth.chaos.workload;

import io.berth.chaos.checker.Verdict;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.history.History;
import java.util.List;

/**
 * Clients that exercise the cluster while nemeses inject faults, and the checks of what they
 * saw. A run {@link #start starts} every workload, lets the faults play, heals, gives the
 * cluster a quiet period, {@link #stop stops} the clients and then {@link #check checks}.
 */
public interface Workload {

  /** The name options and reports use: {@code register}, {@code set}, {@code watch}, ... */
  String name();

  /** Starts the clients; they record into {@code history} until {@link #stop}. */
  void start(ChaosCluster cluster, History history, long seed);

  /** Stops invoking new operations and waits for those in flight to complete. */
  void stop();

  /** Reads the final state from the healed cluster and checks the history against it. */
  List<Verdict> check(ChaosCluster cluster, History history);
}
