package io.berth.chaos.nemesis;

import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a random member through another replica and, at heal, adds it back as a new member
 * with an empty data directory (an operator replacing a machine): the cluster runs one member
 * short meanwhile, then a learner-less join must catch up by snapshot or log.
 */
public final class MembershipNemesis implements Nemesis {
  private static final Logger log = LoggerFactory.getLogger(MembershipNemesis.class);

  private volatile Replica removed;

  @Override
  public String name() {
    return "member-remove-add";
  }

  @Override
  public Kind kind() {
    return Kind.MEMBERSHIP;
  }

  @Override
  public Injected inject(ChaosCluster cluster, Random random) {
    List<Replica> replicas = new ArrayList<>(cluster.replicas());
    Replica target = replicas.remove(random.nextInt(replicas.size()));
    Replica via = replicas.get(random.nextInt(replicas.size()));
    cluster.removeMember(target, via);
    removed = target;
    return new Injected("member " + target.memberName() + " removed via " + via.name(), List.of(target.name()));
  }

  @Override
  public void heal(ChaosCluster cluster) {
    Replica target = removed;
    if (target == null) {
      return;
    }
    // Bounded retries: a MemberAdd can time out while the cluster is still recovering from the
    // removal, and a member left out for the rest of the run would turn every later fault into
    // a loss of quorum.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        Replica via = cluster.replicas().stream().filter(r -> r != target && r.ready()).findFirst()
            .orElseThrow(() -> new IllegalStateException("no serving replica to add " + target.name() + " back through"));
        cluster.addBack(target, via);
        break;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        log.info("adding {} back failed ({}); trying again", target.name(), e.toString());
        ChaosCluster.sleep(2000);
      }
    }
    removed = null;
    try {
      ChaosCluster.await(target::ready, Duration.ofSeconds(90), target.name() + " serving again after its re-add");
    } catch (IllegalStateException e) {
      log.warn("{}", e.getMessage());
    }
  }
}
