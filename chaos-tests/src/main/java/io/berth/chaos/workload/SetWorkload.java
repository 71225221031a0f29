package io.berth.chaos.workload;

import io.berth.chaos.checker.SetChecker;
import io.berth.chaos.checker.Verdict;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import io.berth.chaos.history.History;
import io.berth.chaos.history.Operation;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unique elements added under a prefix (one key per element) from clients on every replica;
 * at the end every replica reads the whole prefix back. An acknowledged add must be there,
 * an add that certainly failed must not, and nothing may appear twice or from nowhere.
 */
public final class SetWorkload implements Workload {
  static final String PREFIX = "set/";
  private static final Logger log = LoggerFactory.getLogger(SetWorkload.class);

  private final int clientsPerReplica;
  private final Duration timeout;
  private final Duration pauseBetweenOps;
  private final ClientThreads clients = new ClientThreads("set");
  private final AtomicLong nextElement = new AtomicLong();
  private int nextProcess = 10_000;

  public SetWorkload(int clientsPerReplica, Duration timeout, Duration pauseBetweenOps) {
    this.clientsPerReplica = clientsPerReplica;
    this.timeout = timeout;
    this.pauseBetweenOps = pauseBetweenOps;
  }

  public static SetWorkload defaults() {
    return new SetWorkload(1, Duration.ofSeconds(2), Duration.ofMillis(20));
  }

  @Override
  public String name() {
    return "set";
  }

  @Override
  public void start(ChaosCluster cluster, History history, long seed) {
    for (Replica replica : cluster.replicas()) {
      for (int c = 0; c < clientsPerReplica; c++) {
        int process = nextProcess++;
        StoreOps store = new StoreOps(replica.channel(), timeout);
        clients.start(replica.name() + "-" + c, () -> add(replica, store, history, process));
      }
    }
  }

  private void add(Replica replica, StoreOps store, History history, int process) {
    long element = nextElement.incrementAndGet();
    History.Pending op = history.invoke(process, replica.name(), "add", PREFIX, element, null);
    try {
      store.write(PREFIX + element, element);
      op.ok(null);
      ClientThreads.pause(pauseBetweenOps);
    } catch (StatusRuntimeException e) {
      if (StoreOps.certainlyNotApplied(e)) {
        op.fail(StoreOps.describe(e));
        replica.channel().resetConnectBackoff();
      } else {
        op.info(StoreOps.describe(e));
      }
      ClientThreads.pause(Duration.ofMillis(100));
    }
  }

  @Override
  public void stop() {
    clients.stop();
  }

  /** Every replica that serves reads the set; each read must hold the same elements. */
  @Override
  public List<Verdict> check(ChaosCluster cluster, History history) {
    List<List<Long>> finalReads = new ArrayList<>();
    for (Replica replica : cluster.replicas()) {
      try {
        finalReads.add(new StoreOps(replica.channel(), Duration.ofSeconds(10)).readPrefix(PREFIX));
      } catch (StatusRuntimeException e) {
        log.warn("final read of the set from {} failed: {}", replica.name(), StoreOps.describe(e));
      }
    }
    if (finalReads.isEmpty()) {
      throw new IllegalStateException("no replica answered the final read of the set");
    }
    List<Operation> adds = history.operations().stream().filter(op -> op.f().equals("add")).toList();
    return List.of(SetChecker.check(adds, finalReads));
  }
}
