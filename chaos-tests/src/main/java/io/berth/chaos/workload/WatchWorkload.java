package io.berth.chaos.workload;

import io.berth.chaos.checker.Validity;
import io.berth.chaos.checker.Verdict;
import io.berth.chaos.checker.WatchChecker;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import io.berth.chaos.history.History;
import io.berth.chaos.history.StoreEvent;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writers put and delete keys under a prefix while watchers, one per replica to begin with,
 * follow the prefix. A watcher whose stream breaks or goes silent resumes on the next replica
 * from its last revision + 1, as a Kubernetes informer or etcd client does. At the end, every
 * watcher's sequence must be the store's own history of the prefix: ordered, no duplicate, no
 * gap, the same values, and complete up to the last write.
 */
public final class WatchWorkload implements Workload {
  static final String PREFIX = "watch/";
  private static final Logger log = LoggerFactory.getLogger(WatchWorkload.class);

  private final int keys;
  private final int writers;
  private final Duration pauseBetweenWrites;
  private final ClientThreads writerThreads = new ClientThreads("watch-writer");
  private final List<ResumingWatcher> watchers = new ArrayList<>();
  private final AtomicLong nextValue = new AtomicLong();
  private long startRevision;

  public WatchWorkload(int keys, int writers, Duration pauseBetweenWrites) {
    this.keys = keys;
    this.writers = writers;
    this.pauseBetweenWrites = pauseBetweenWrites;
  }

  public static WatchWorkload defaults() {
    return new WatchWorkload(20, 2, Duration.ofMillis(30));
  }

  @Override
  public String name() {
    return "watch";
  }

  @Override
  public void start(ChaosCluster cluster, History history, long seed) {
    List<Replica> replicas = cluster.replicas();
    startRevision = new StoreOps(replicas.get(0).channel(), Duration.ofSeconds(10)).revision() + 1;
    for (int i = 0; i < replicas.size(); i++) {
      ResumingWatcher watcher = new ResumingWatcher(i, replicas, i, PREFIX, startRevision - 1, history);
      watchers.add(watcher);
      watcher.start();
    }
    for (int w = 0; w < writers; w++) {
      Writer writer = new Writer(replicas, new Random(seed * 17 + w), 20_000 + w, history);
      writerThreads.start("w" + w, writer::step);
    }
  }

  @Override
  public void stop() {
    writerThreads.stop();
  }

  @Override
  public List<Verdict> check(ChaosCluster cluster, History history) {
    List<StoreEvent> reference = ReferenceHistory.read(cluster, PREFIX, startRevision);
    long last = reference.isEmpty() ? startRevision - 1 : reference.get(reference.size() - 1).revision();
    List<String> behind = new ArrayList<>();
    try {
      ChaosCluster.await(() -> watchers.stream().allMatch(w -> w.lastRevision() >= last), Duration.ofSeconds(30),
          "every watcher caught up to revision " + last);
    } catch (IllegalStateException e) {
      for (ResumingWatcher watcher : watchers) {
        if (watcher.lastRevision() < last) {
          behind.add("watcher " + watcher.id() + " stopped at revision " + watcher.lastRevision()
              + " of " + last + " (last stream on " + watcher.replicaName() + ")");
        }
      }
    } finally {
      watchers.forEach(ResumingWatcher::close);
    }
    Verdict catchUp = new Verdict("watch-catch-up", behind.isEmpty() ? Validity.VALID : Validity.INVALID,
        watchers.size(), behind);
    long resumes = watchers.stream().mapToLong(ResumingWatcher::resumes).sum();
    log.info("watch: {} events in the store's history of {}; watchers resumed {} times", reference.size(), PREFIX,
        resumes);
    return List.of(WatchChecker.check(history.deliveries(), reference, PREFIX), catchUp);
  }

  /** Puts (and now and then deletes) random keys under the prefix through a replica, moving on when one fails. */
  private final class Writer {
    private final List<Replica> replicas;
    private final Random random;
    private final int process;
    private final History history;
    private int replica;

    Writer(List<Replica> replicas, Random random, int process, History history) {
      this.replicas = replicas;
      this.random = random;
      this.process = process;
      this.history = history;
      this.replica = random.nextInt(replicas.size());
    }

    void step() {
      Replica target = replicas.get(replica);
      String key = PREFIX + random.nextInt(keys);
      boolean delete = random.nextInt(10) == 0;
      StoreOps store = new StoreOps(target.channel(), Duration.ofSeconds(2));
      long value = nextValue.incrementAndGet();
      History.Pending op = history.invoke(process, target.name(), delete ? "watch-delete" : "watch-put", key,
          delete ? null : value, null);
      try {
        if (delete) {
          store.delete(key);
        } else {
          store.write(key, value);
        }
        op.ok(null);
        ClientThreads.pause(pauseBetweenWrites);
      } catch (StatusRuntimeException e) {
        if (StoreOps.certainlyNotApplied(e)) {
          op.fail(StoreOps.describe(e));
          target.channel().resetConnectBackoff();
        } else {
          op.info(StoreOps.describe(e));
        }
        replica = (replica + 1) % replicas.size();
        ClientThreads.pause(Duration.ofMillis(100));
      }
    }
  }
}
