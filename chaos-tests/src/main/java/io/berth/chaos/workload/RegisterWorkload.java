package io.berth.chaos.workload;

import io.berth.chaos.checker.LinearizabilityChecker;
import io.berth.chaos.checker.Verdict;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import io.berth.chaos.history.History;
import io.berth.chaos.history.Operation;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads, writes and compare-and-sets on a few registers through the store's etcd API, from
 * several clients per replica; checked for linearizability per key.
 *
 * <p>A client that loses track of a write (a timeout, a connection reset after sending) records
 * it as indeterminate and continues as a new process, as Jepsen does: an indeterminate
 * operation may complete at any later time, and a process has one operation open at a time.
 */
public final class RegisterWorkload implements Workload {
  static final String PREFIX = "register/";

  private final int keys;
  private final int clientsPerReplica;
  private final Duration timeout;
  private final Duration pauseBetweenOps;
  private final ClientThreads clients = new ClientThreads("register");
  private final AtomicLong nextValue = new AtomicLong();
  private final AtomicInteger nextProcess = new AtomicInteger();

  public RegisterWorkload(int keys, int clientsPerReplica, Duration timeout, Duration pauseBetweenOps) {
    this.keys = keys;
    this.clientsPerReplica = clientsPerReplica;
    this.timeout = timeout;
    this.pauseBetweenOps = pauseBetweenOps;
  }

  /** Five registers, two clients per replica, 2 s timeouts, a short pause between operations. */
  public static RegisterWorkload defaults() {
    return new RegisterWorkload(5, 2, Duration.ofSeconds(2), Duration.ofMillis(20));
  }

  @Override
  public String name() {
    return "register";
  }

  @Override
  public void start(ChaosCluster cluster, History history, long seed) {
    for (Replica replica : cluster.replicas()) {
      for (int c = 0; c < clientsPerReplica; c++) {
        Client client = new Client(replica, history, new Random(seed * 31 + nextProcess.get()));
        clients.start(replica.name() + "-" + c, client::step);
      }
    }
  }

  @Override
  public void stop() {
    clients.stop();
  }

  @Override
  public List<Verdict> check(ChaosCluster cluster, History history) {
    List<Operation> ops = history.operations().stream().filter(op -> op.key() != null && op.key().startsWith(PREFIX))
        .toList();
    return List.of(new LinearizabilityChecker(Duration.ofSeconds(90)).check(ops));
  }

  /** One client process: random operations on random keys against one replica. */
  private final class Client {
    private final Replica replica;
    private final History history;
    private final Random random;
    private final StoreOps store;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private int process = nextProcess.getAndIncrement();

    Client(Replica replica, History history, Random random) {
      this.replica = replica;
      this.history = history;
      this.random = random;
      this.store = new StoreOps(replica.channel(), timeout);
    }

    void step() {
      String key = PREFIX + random.nextInt(keys);
      int choice = random.nextInt(10);
      Long expected = lastSeen.get(key);
      if (choice < 4) {
        read(key);
      } else if (choice < 7 || expected == null) {
        write(key, nextValue.incrementAndGet());
      } else {
        compareAndSet(key, expected, nextValue.incrementAndGet());
      }
      ClientThreads.pause(pauseBetweenOps);
    }

    private void read(String key) {
      History.Pending op = history.invoke(process, replica.name(), "read", key, null, null);
      try {
        Long value = store.read(key);
        op.ok(value);
        remember(key, value);
      } catch (StatusRuntimeException e) {
        // A read changes nothing, so one that failed for any reason is simply not in the history's model.
        op.fail(StoreOps.describe(e));
        backOff(e);
      }
    }

    private void write(String key, long value) {
      History.Pending op = history.invoke(process, replica.name(), "write", key, value, null);
      try {
        store.write(key, value);
        op.ok(null);
        remember(key, value);
      } catch (StatusRuntimeException e) {
        indeterminateOrFailed(op, e);
      }
    }

    private void compareAndSet(String key, long expected, long value) {
      History.Pending op = history.invoke(process, replica.name(), "cas", key, value, expected);
      try {
        if (store.compareAndSet(key, expected, value)) {
          op.ok(null);
          remember(key, value);
        } else {
          op.fail("compare failed");
          lastSeen.remove(key);
        }
      } catch (StatusRuntimeException e) {
        indeterminateOrFailed(op, e);
      }
    }

    private void indeterminateOrFailed(History.Pending op, StatusRuntimeException e) {
      if (StoreOps.certainlyNotApplied(e)) {
        op.fail(StoreOps.describe(e));
      } else {
        op.info(StoreOps.describe(e));
        process = nextProcess.getAndIncrement();
      }
      backOff(e);
    }

    private void remember(String key, Long value) {
      if (value == null) {
        lastSeen.remove(key);
      } else {
        lastSeen.put(key, value);
      }
    }

    private void backOff(StatusRuntimeException e) {
      if (StoreOps.certainlyNotApplied(e)) {
        // The server is down: let gRPC try again at once when it is back rather than after its
        // exponential reconnect back-off (up to two minutes), and do not spin meanwhile.
        replica.channel().resetConnectBackoff();
      }
      ClientThreads.pause(Duration.ofMillis(100));
    }
  }
}
