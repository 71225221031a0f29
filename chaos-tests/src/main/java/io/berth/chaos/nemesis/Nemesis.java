package io.berth.chaos.nemesis;

import io.berth.chaos.cluster.ChaosCluster;
import java.util.List;
import java.util.Random;

/**
 * Something that breaks the cluster on purpose and mends it again. A schedule calls
 * {@link #inject} and, after the fault's duration, {@link #heal}; healing must be idempotent,
 * because after the last fault every nemesis heals once more.
 */
public interface Nemesis {

  /** The name in options and reports, e.g. {@code partition-leader}, {@code kill-random}. */
  String name();

  /** What kind of fault: at most one nemesis of each kind acts at a time. */
  Kind kind();

  /** Injects one fault and says what it did. */
  Injected inject(ChaosCluster cluster, Random random);

  /** Undoes whatever this nemesis did, all of it. */
  void heal(ChaosCluster cluster);

  enum Kind { NETWORK, PROCESS, MEMBERSHIP }

  /** What an injection did, for the fault timeline. */
  record Injected(String description, List<String> targets) {}
}
