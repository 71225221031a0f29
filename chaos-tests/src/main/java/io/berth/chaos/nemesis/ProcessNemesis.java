package io.berth.chaos.nemesis;

import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crashes (kill -9, healed by a restart on the same data) or pauses (SIGSTOP, healed by
 * SIGCONT) of one replica's server: a random one or the store's leader.
 */
public final class ProcessNemesis implements Nemesis {
  private static final Logger log = LoggerFactory.getLogger(ProcessNemesis.class);

  public enum Action { KILL, PAUSE }

  private final Action action;
  private final boolean leader;

  public ProcessNemesis(Action action, boolean leader) {
    this.action = action;
    this.leader = leader;
  }

  @Override
  public String name() {
    return (action == Action.KILL ? "kill-" : "pause-") + (leader ? "leader" : "random");
  }

  @Override
  public Kind kind() {
    return Kind.PROCESS;
  }

  @Override
  public Injected inject(ChaosCluster cluster, Random random) {
    List<Replica> replicas = cluster.replicas();
    Replica target = leader ? cluster.leader().orElse(replicas.get(random.nextInt(replicas.size())))
        : replicas.get(random.nextInt(replicas.size()));
    if (action == Action.KILL) {
      target.kill();
      return new Injected("kill -9 " + target.name(), List.of(target.name()));
    }
    target.pause();
    return new Injected("SIGSTOP " + target.name(), List.of(target.name()));
  }

  @Override
  public void heal(ChaosCluster cluster) {
    boolean restarted = false;
    for (Replica replica : cluster.replicas()) {
      if (action == Action.PAUSE) {
        replica.resume();
      } else if (replica.isMember() && !replica.serverProcessAlive()) {
        log.info("restarting {} after kill -9", replica.name());
        cluster.restart(replica);
        restarted = true;
      }
    }
    if (restarted) {
      // Do not call it healed before the restarted servers answer: the next fault must not
      // hit a cluster that is still recovering from this one. Bounded: a replica that does not
      // come back is a finding for the report, not a reason to hang the run.
      try {
        ChaosCluster.await(() -> cluster.replicas().stream().filter(Replica::isMember).allMatch(Replica::ready),
            Duration.ofSeconds(60), "restarted replicas serving");
      } catch (IllegalStateException e) {
        log.warn("after restarts: {}", e.getMessage());
      }
    }
  }
}
