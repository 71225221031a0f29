package io.berth.store.statemachine;

import io.berth.store.command.LeaseListResponse;
import io.berth.store.command.LeaseStatus;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreError;
import io.berth.store.command.StoreQuery;
import io.berth.store.command.StoreResult;
import io.berth.store.command.UnstartedMembersResponse;
import io.berth.store.lease.LeaseExpiryTracker;
import io.berth.store.lease.LeaseTable;
import io.berth.store.mvcc.StoreException;
import io.berth.store.watch.WatchHub;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.ResponseHeader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of raft-store.
 *
 * <ul>
 *   <li>{@link #applyTransaction}: a committed {@link StoreCommand} is applied to
 *       {@link StoreState} under the write lock; its {@link StoreResult} is the reply.
 *       Applied revisions go to the {@link WatchHub} under the same lock.</li>
 *   <li>{@link #query}: linearizable reads, after Ratis' ReadIndex has caught this
 *       replica up; and lease keep-alive, time-to-live and list, which only the
 *       leader answers because only its clock tracks leases.</li>
 *   <li>{@link #read}: serializable reads straight from local state.</li>
 *   <li>{@link #takeSnapshot} / {@link #reinitialize}: the whole state to and from one
 *       file named by term and index, with an MD5 beside it.</li>
 *   <li>{@link #notifyLeaderReady} / {@link #notifyNotLeader}: lease clocks start and stop.</li>
 * </ul>
 */
public final class StoreStateMachine extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(StoreStateMachine.class);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final StoreState state = new StoreState();
  private final WatchHub watchHub;
  private final java.nio.file.Path restoreSeed;
  private final LeaseExpiryTracker leaseClock;

  public StoreStateMachine(WatchHub watchHub, LeaseExpiryTracker leaseClock) {
    this(watchHub, leaseClock, null);
  }

  /**
   * @param restoreSeed where {@code berth snapshot restore} left the state a new member starts
   *     from ({@link Backups}); adopted on the first start only, when the storage has no snapshot
   */
  public StoreStateMachine(WatchHub watchHub, LeaseExpiryTracker leaseClock, java.nio.file.Path restoreSeed) {
    this.restoreSeed = restoreSeed;
    this.watchHub = watchHub;
    this.leaseClock = leaseClock;
    state.setListener(new StoreState.Listener() {
      @Override public void onRevision(long revision, List<Event> events) {
        watchHub.publish(revision, events);
      }

      @Override public void onLeaseGranted(long id, long ttlSeconds) {
        leaseClock.granted(id, ttlSeconds);
      }

      @Override public void onLeaseRemoved(long id) {
        leaseClock.removed(id);
      }
    });
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    adoptRestoreSeed();
    getLifeCycle().startAndTransition(this::loadLatestSnapshot, IOException.class);
  }

  /**
   * A restored member's seed becomes its first snapshot, at term 0 and index 1: Ratis formats a
   * new member's storage before this runs (so the seed could not be placed there beforehand),
   * and then starts the log after the snapshot's index, as on every member seeded alike.
   */
  private void adoptRestoreSeed() throws IOException {
    if (restoreSeed == null || !java.nio.file.Files.exists(restoreSeed) || storage.getLatestSnapshot() != null) {
      return;
    }
    File target = storage.getSnapshotFile(Backups.SEED_TERM, Backups.SEED_INDEX);
    java.nio.file.Files.move(restoreSeed, target.toPath(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    MD5FileUtil.computeAndSaveMd5ForFile(target);
    storage.loadLatestSnapshot();
    log.info("adopted the restored snapshot {} as this member's first state", target.getName());
  }

  /**
   * Ratis pauses the state machine before it installs a snapshot sent by the leader
   * (once per chunk), and checks that it is PAUSED before calling {@link #reinitialize}:
   * without this lifecycle a follower that fell behind the purged log closed itself.
   */
  @Override
  public void pause() {
    if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Loads the snapshot Ratis just installed, and resumes. */
  @Override
  public void reinitialize() throws IOException {
    loadLatestSnapshot();
    if (getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING)) {
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  private void loadLatestSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file, md5);
    }
    lock.writeLock().lock();
    try {
      SnapshotFile.read(file.toPath(), state);
      updateLastAppliedTermIndex(snapshot.getTermIndex());
      // Watchers open on this replica missed the revisions the snapshot skipped over.
      watchHub.catchUp(state.mvcc().revision(), state.mvcc().compactedRevision(),
          state.mvcc().eventsFrom(state.mvcc().compactedRevision()));
    } finally {
      lock.writeLock().unlock();
    }
    log.info("loaded snapshot {} at revision {}", file.getName(), state.mvcc().revision());
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public long takeSnapshot() throws IOException {
    lock.readLock().lock();
    try {
      TermIndex applied = getLastAppliedTermIndex();
      if (applied == null || applied.getIndex() < 0) {
        return -1;
      }
      File file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
      SnapshotFile.write(state, file.toPath());
      MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
      storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
      log.info("took snapshot {} at revision {} ({} bytes)", file.getName(), state.mvcc().revision(),
          Files.size(file.toPath()));
      return applied.getIndex();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex termIndex = TermIndex.valueOf(entry);
    StoreResult result;
    lock.writeLock().lock();
    try {
      StoreCommand command;
      try {
        command = StoreCommand.parseFrom(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        // Never fail the apply loop: a replica that stopped applying would stall forever.
        command = StoreCommand.getDefaultInstance();
      }
      result = state.apply(command, termIndex.getIndex());
      updateLastAppliedTermIndex(termIndex);
    } finally {
      lock.writeLock().unlock();
    }
    return CompletableFuture.completedFuture(toMessage(result));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    StoreQuery query;
    try {
      query = StoreQuery.parseFrom(request.getContent().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return CompletableFuture.completedFuture(toMessage(StoreResult.newBuilder().setError(StoreError.newBuilder()
          .setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value()).setMessage("malformed query: " + e.getMessage()))
          .build()));
    }
    return CompletableFuture.completedFuture(toMessage(answer(query)));
  }

  private StoreResult answer(StoreQuery query) {
    StoreResult.Builder result = StoreResult.newBuilder();
    try {
      switch (query.getOpCase()) {
        case BATCH -> {
          io.berth.store.command.ResultBatch.Builder results = io.berth.store.command.ResultBatch.newBuilder();
          query.getBatch().getQueriesList().forEach(q -> results.addResults(answer(q)));
          result.setBatch(results);
        }
        case RANGE -> result.setRange(read((StoreState s) -> s.range(query.getRange())));
        case LEASE_KEEP_ALIVE -> result.setLeaseKeepAlive(keepAlive(query.getLeaseKeepAlive()));
        case LEASE_TIME_TO_LIVE -> result.setLeaseTimeToLive(timeToLive(query.getLeaseTimeToLive()));
        case LEASE_LIST -> result.setLeaseList(leaseList());
        // Only members that never started: an empty server must not take the ID of a member
        // that has run (and voted), or a wiped disk would rejoin as that voter.
        case UNSTARTED_MEMBERS -> result.setUnstartedMembers(read((StoreState s) ->
            UnstartedMembersResponse.newBuilder().addAllMembers(s.unstartedMembers().stream()
                .filter(m -> s.members().stream().noneMatch(a -> a.getMemberId() == m.getMemberId())).toList())
                .build()));
        default -> throw new StoreException(io.grpc.Status.Code.INVALID_ARGUMENT, "unknown query " + query.getOpCase());
      }
    } catch (StoreException e) {
      result.clear().setError(StoreError.newBuilder().setCode(e.code().value()).setMessage(e.getMessage()));
    }
    return result.build();
  }

  /** Runs {@code reader} against the local state under the read lock (serializable reads, watches). */
  public <T> T read(Function<StoreState, T> reader) {
    lock.readLock().lock();
    try {
      return reader.apply(state);
    } finally {
      lock.readLock().unlock();
    }
  }

  private LeaseKeepAliveResponse keepAlive(LeaseKeepAliveRequest request) {
    requireLeader();
    LeaseTable.Lease lease = read(s -> s.leases().get(request.getID()));
    long ttl = lease != null && leaseClock.renew(lease.id(), lease.ttlSeconds()) ? lease.ttlSeconds() : 0;
    return LeaseKeepAliveResponse.newBuilder().setHeader(currentHeader()).setID(request.getID()).setTTL(ttl).build();
  }

  private LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request) {
    requireLeader();
    return read((StoreState s) -> {
      LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder()
          .setHeader(ResponseHeader.newBuilder().setRevision(s.mvcc().revision()))
          .setID(request.getID());
      LeaseTable.Lease lease = s.leases().get(request.getID());
      if (lease == null) {
        return response.setTTL(-1).build();
      }
      response.setTTL(leaseClock.remainingSeconds(lease.id())).setGrantedTTL(lease.ttlSeconds());
      if (request.getKeys()) {
        response.addAllKeys(lease.keys());
      }
      return response.build();
    });
  }

  private LeaseListResponse leaseList() {
    requireLeader();
    return read((StoreState s) -> {
      LeaseListResponse.Builder response = LeaseListResponse.newBuilder()
          .setHeader(ResponseHeader.newBuilder().setRevision(s.mvcc().revision()));
      s.leases().all().forEach(l -> response.addLeases(LeaseStatus.newBuilder().setID(l.id())));
      return response.build();
    });
  }

  private void requireLeader() {
    if (!leaseClock.isLeader()) {
      throw StoreException.notLeader();
    }
  }

  private ResponseHeader currentHeader() {
    return ResponseHeader.newBuilder().setRevision(read(s -> s.mvcc().revision())).build();
  }

  @Override
  public void notifyLeaderReady() {
    Collection<LeaseTable.Lease> leases = read(s -> List.copyOf(s.leases().all()));
    leaseClock.becomeLeader(leases);
    log.info("{}: leader ready; {} leases get a fresh TTL", getId(), leases.size());
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    leaseClock.stepDown();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    if (!groupMemberId.getPeerId().equals(newLeaderId)) {
      leaseClock.stepDown();
    }
    log.info("{}: leader is now {}", groupMemberId.getPeerId(), newLeaderId);
  }

  /** Writes a consistent copy of the state to {@code target}; returns its revision. */
  public long writeSnapshotTo(java.nio.file.Path target) throws IOException {
    lock.readLock().lock();
    try {
      SnapshotFile.write(state, target);
      return state.mvcc().revision();
    } finally {
      lock.readLock().unlock();
    }
  }

  public LeaseExpiryTracker leaseClock() {
    return leaseClock;
  }

  public WatchHub watchHub() {
    return watchHub;
  }

  private static Message toMessage(StoreResult result) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(result.toByteArray()));
  }
}
