package io.berth.chaos.nemesis;

import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.history.Fault;
import io.berth.chaos.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rounds of faults: pick nemeses, inject, wait the fault's duration, heal, wait the heal's
 * duration, until the run's fault time is used up. Each round's first nemesis is dealt from a
 * shuffled deck, so every nemesis of the schedule gets its turn before any comes back (a
 * short run still sees each of them). With {@code combine}, a round may add up to one nemesis
 * of each other kind at once (a partition during a crash, say). Every fault goes into the
 * history with its start and end.
 */
public final class NemesisSchedule {
  private static final Logger log = LoggerFactory.getLogger(NemesisSchedule.class);

  private final List<Nemesis> nemeses;
  private final Duration faultDuration;
  private final Duration healDuration;
  private final boolean combine;
  private final List<Nemesis> deck = new ArrayList<>();

  public NemesisSchedule(List<Nemesis> nemeses, Duration faultDuration, Duration healDuration, boolean combine) {
    if (nemeses.isEmpty()) {
      throw new IllegalArgumentException("a schedule needs at least one nemesis");
    }
    this.nemeses = List.copyOf(nemeses);
    this.faultDuration = faultDuration;
    this.healDuration = healDuration;
    this.combine = combine;
  }

  /** Runs rounds for {@code total}, then heals everything; returns the number of faults injected. */
  public int run(ChaosCluster cluster, History history, Random random, Duration total) {
    long end = System.nanoTime() + total.toNanos();
    int injected = 0;
    try {
      // A healthy baseline first: the clients' first operations, and the availability figures'
      // yardstick, come from a cluster nothing has happened to yet.
      ChaosCluster.sleep(healDuration.toMillis());
      while (System.nanoTime() + faultDuration.toNanos() < end && !Thread.currentThread().isInterrupted()) {
        List<Nemesis> round = pick(random);
        List<Fault> faults = new ArrayList<>();
        for (Nemesis nemesis : round) {
          long start = history.now();
          try {
            Nemesis.Injected what = nemesis.inject(cluster, random);
            faults.add(new Fault(nemesis.name(), what.description(), what.targets(), start, Long.MAX_VALUE));
            log.info("fault: {}: {}", nemesis.name(), what.description());
            injected++;
          } catch (RuntimeException e) {
            // e.g. a member removal the store refused: that is the store doing its job
            log.info("nemesis {} could not inject: {}", nemesis.name(), e.toString());
          }
        }
        ChaosCluster.sleep(faultDuration.toMillis());
        for (Nemesis nemesis : inHealingOrder(round)) {
          heal(cluster, nemesis);
        }
        long healed = history.now();
        for (Fault fault : faults) {
          history.fault(fault.healedAt(healed));
          log.info("healed: {}", fault.nemesis());
        }
        ChaosCluster.sleep(healDuration.toMillis());
      }
    } finally {
      healAll(cluster);
    }
    return injected;
  }

  /** Heals what every nemesis of the schedule could have done. */
  public void healAll(ChaosCluster cluster) {
    for (Nemesis nemesis : inHealingOrder(nemeses)) {
      heal(cluster, nemesis);
    }
  }

  /**
   * The network first, then processes, then membership: a process heal waits until every
   * member serves again, which a replica still cut off by a partition of the same round never
   * does (it would hold the heal for its whole timeout and stretch the fault window).
   */
  private static List<Nemesis> inHealingOrder(List<Nemesis> round) {
    List<Nemesis> ordered = new ArrayList<>(round);
    ordered.sort(java.util.Comparator.comparing(Nemesis::kind));
    return ordered;
  }

  private static void heal(ChaosCluster cluster, Nemesis nemesis) {
    try {
      nemesis.heal(cluster);
    } catch (RuntimeException e) {
      log.warn("nemesis {} could not heal: {}", nemesis.name(), e.toString());
    }
  }

  private List<Nemesis> pick(Random random) {
    if (deck.isEmpty()) {
      deck.addAll(nemeses);
      Collections.shuffle(deck, random);
    }
    Nemesis first = deck.remove(0);
    List<Nemesis> round = new ArrayList<>(List.of(first));
    // A membership change is not combined: removing a member while another is down would
    // leave no quorum by design, which teaches nothing.
    if (!combine || first.kind() == Nemesis.Kind.MEMBERSHIP) {
      return round;
    }
    Set<Nemesis.Kind> kinds = EnumSet.of(first.kind());
    List<Nemesis> companions = new ArrayList<>(nemeses);
    Collections.shuffle(companions, random);
    for (Nemesis nemesis : companions) {
      if (nemesis.kind() != Nemesis.Kind.MEMBERSHIP && !kinds.contains(nemesis.kind()) && random.nextBoolean()) {
        round.add(nemesis);
        kinds.add(nemesis.kind());
      }
    }
    return round;
  }
}
