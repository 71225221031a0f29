package io.berth.chaos.workload;

import io.berth.chaos.checker.Validity;
import io.berth.chaos.checker.Verdict;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import io.berth.chaos.history.History;
import io.berth.chaos.history.Outcome;
import io.berth.chaos.history.StoreEvent;
import io.berth.election.ElectionSettings;
import io.berth.election.FencingToken;
import io.berth.election.LeaderCallbacks;
import io.berth.election.LeaderElector;
import io.berth.election.Leadership;
import io.berth.election.StoreEndpoints;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Candidates in the test process, each talking to the store through a different replica first,
 * campaign with Berth's own leader election. Whoever leads writes to one key every 50 ms,
 * each write fenced by its token (a txn that holds only while its campaign key exists with its
 * create_revision). A leader's term ends after a few seconds, half the time by resigning and
 * half the time as a crash would end it (keep-alives stop, nothing said, the lease expires in
 * the store); either way the deposed leader goes on writing with its old token for a while, as
 * a leader that has not noticed would (a long pause, a partition from the store). The store's
 * history of the key must show the fenced write windows of successive leaders never
 * overlapping: tokens never go backwards in revision order, and every write a leader saw
 * acknowledged is there with its token.
 */
public final class ElectionWorkload implements Workload {
  static final String FENCED_KEY = "/chaos/fenced";
  private static final Logger log = LoggerFactory.getLogger(ElectionWorkload.class);
  private static final Duration WRITE_EVERY = Duration.ofMillis(50);
  private static final ElectionSettings SETTINGS = ElectionSettings.builder().prefix("/chaos/elections/").build();
  /** A deposed leader writes on until well after its lease must have expired in the store. */
  private static final Duration DEPOSED_WRITES_FOR = SETTINGS.ttl().plusSeconds(1);

  private final List<Candidate> candidates = new ArrayList<>();
  private final ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> terms = new ConcurrentLinkedQueue<>();
  private ScheduledExecutorService scheduler;

  /** A fenced write the store acknowledged: at {@code revision}, by the leader holding {@code token}. */
  private record Acknowledged(long token, long revision, String identity, boolean deposed) {}

  @Override
  public String name() {
    return "election";
  }

  @Override
  public void start(ChaosCluster cluster, History history, long seed) {
    List<Replica> replicas = cluster.replicas();
    Map<String, String> names = replicas.stream().collect(Collectors.toMap(Replica::clientEndpoint, Replica::name));
    scheduler = Executors.newScheduledThreadPool(replicas.size() * 2);
    for (int i = 0; i < replicas.size(); i++) {
      List<String> endpoints = new ArrayList<>();
      for (int j = 0; j < replicas.size(); j++) {
        endpoints.add(replicas.get((i + j) % replicas.size()).clientEndpoint());
      }
      // Its own channels (plaintext, as the chaos replicas serve), shared by its successive electors.
      Candidate candidate = new Candidate("candidate-" + i, 30_000 + i, new StoreEndpoints(endpoints,
          Duration.ofSeconds(1)), new Random(seed * 17 + i), history, names);
      candidates.add(candidate);
      candidate.campaign();
    }
  }

  /** One candidate: campaigns, leads for a term, is deposed, writes on regardless, campaigns again. */
  private final class Candidate {
    private final String identity;
    private final int process;
    private final StoreEndpoints store;
    private final Random random;
    private final History history;
    private final Map<String, String> replicaNames;
    private volatile LeaderElector elector;
    private volatile boolean stopped;

    Candidate(String identity, int process, StoreEndpoints store, Random random, History history,
        Map<String, String> replicaNames) {
      this.identity = identity;
      this.process = process;
      this.store = store;
      this.random = random;
      this.history = history;
      this.replicaNames = replicaNames;
    }

    synchronized void campaign() {
      if (stopped) {
        return;
      }
      LeaderElector[] self = new LeaderElector[1];
      self[0] = LeaderElector.builder()
          .component("chaos-election").identity(identity)
          .settings(SETTINGS)
          .store(store)
          .callbacks(new LeaderCallbacks() {
            @Override
            public void onStartedLeading(FencingToken token, Leadership leadership) {
              terms.add(identity + " leads with token " + token.revision() + " at " + history.now() / 1_000_000 + " ms");
              leadership.scheduleWithFixedDelay(() -> fencedWrite("fenced-write", token), Duration.ZERO, WRITE_EVERY);
              scheduler.schedule(() -> endTerm(self[0], token), 2000 + random.nextInt(3000), TimeUnit.MILLISECONDS);
            }

            @Override
            public void onStoppedLeading() {}
          })
          .build();
      elector = self[0];
      elector.start();
    }

    private void endTerm(LeaderElector which, FencingToken token) {
      synchronized (this) {
        if (stopped || which != elector) {
          return;
        }
        if (random.nextBoolean()) {
          log.info("election: {} crashes as leader (token {}): its lease expires in the store", identity,
              token.revision());
          which.abandon();
        } else {
          log.info("election: {} resigns (token {})", identity, token.revision());
          which.close();
        }
      }
      long until = System.nanoTime() + DEPOSED_WRITES_FOR.toNanos();
      while (System.nanoTime() < until && !stopped) {
        fencedWrite("deposed-write", token);
        ChaosCluster.sleep(WRITE_EVERY.toMillis());
      }
      campaign();
    }

    private void fencedWrite(String f, FencingToken token) {
      ElectionWorkload.this.fencedWrite(history, process, identity, f, token, store, replicaNames);
    }

    synchronized void stop() {
      stopped = true;
      if (elector != null) {
        elector.close();
      }
    }
  }

  private void fencedWrite(History history, int process, String identity, String f, FencingToken token,
      StoreEndpoints store, Map<String, String> replicaNames) {
    io.grpc.ManagedChannel channel = store.current();
    History.Pending op = history.invoke(process, replicaNames.getOrDefault(channel.authority(), channel.authority()),
        f, FENCED_KEY, token.revision(), null);
    try {
      TxnResponse response = KVGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
          .txn(TxnRequest.newBuilder().addCompare(token.compare())
              .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                  .setKey(StoreOps.bytes(FENCED_KEY)).setValue(StoreOps.bytes(Long.toString(token.revision())))))
              .build());
      if (response.getSucceeded()) {
        op.ok(null);
        acknowledged.add(new Acknowledged(token.revision(), response.getHeader().getRevision(), identity,
            f.equals("deposed-write")));
      } else {
        op.fail("fenced out: the campaign key no longer has revision " + token.revision());
      }
    } catch (StatusRuntimeException e) {
      if (StoreOps.certainlyNotApplied(e)) {
        op.fail(StoreOps.describe(e));
      } else {
        op.info(StoreOps.describe(e));
      }
      store.failed(channel, e);
    } catch (RuntimeException e) {
      // e.g. its channel closed as the run stops: the write may or may not have been sent
      op.info(e.toString());
    }
  }

  @Override
  public void stop() {
    candidates.forEach(Candidate::stop);
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    candidates.forEach(candidate -> candidate.store.close());
  }

  @Override
  public List<Verdict> check(ChaosCluster cluster, History history) {
    List<StoreEvent> writes = ReferenceHistory.read(cluster, FENCED_KEY, 1).stream()
        .filter(e -> e.key().equals(FENCED_KEY) && !e.isDelete()).toList();
    List<String> anomalies = new ArrayList<>();
    long highestToken = 0;
    long highestAt = 0;
    for (StoreEvent write : writes) {
      if (write.value() < highestToken) {
        anomalies.add("revision " + write.revision() + ": a write fenced by token " + write.value()
            + " after the newer leader (token " + highestToken + ") wrote at revision " + highestAt);
      } else {
        highestToken = write.value();
        highestAt = write.revision();
      }
    }
    Map<Long, Long> tokenAt = writes.stream().collect(Collectors.toMap(StoreEvent::revision, StoreEvent::value));
    for (Acknowledged ack : acknowledged) {
      Long stored = tokenAt.get(ack.revision());
      if (stored == null || stored != ack.token()) {
        anomalies.add(ack.identity() + " was acknowledged a write with token " + ack.token() + " at revision "
            + ack.revision() + " but the store's history has " + (stored == null ? "nothing" : "token " + stored)
            + " there");
      }
    }
    long deposedAcknowledged = acknowledged.stream().filter(Acknowledged::deposed).count();
    long deposedRefused = history.operations().stream()
        .filter(op -> op.f().equals("deposed-write") && op.outcome() == Outcome.FAIL).count();
    log.info("election: {} fenced writes in the store by {} successive leaders; deposed leaders' writes: {} refused,"
        + " {} accepted while their lease still held; {} terms", writes.size(),
        writes.stream().map(StoreEvent::value).distinct().count(), deposedRefused, deposedAcknowledged, terms.size());
    return List.of(new Verdict("election-fencing", anomalies.isEmpty() ? Validity.VALID : Validity.INVALID,
        writes.size() + acknowledged.size(), anomalies));
  }
}
