package io.berth.store.statemachine;

import com.google.protobuf.ByteString;
import io.berth.store.command.CommandBatch;
import io.berth.store.command.LeaseExpiry;
import io.berth.store.command.ResultBatch;
import io.berth.store.command.MemberAttributes;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreError;
import io.berth.store.command.StoreResult;
import io.berth.store.command.UnstartedMember;
import io.berth.store.kv.RangeQuery;
import io.berth.store.lease.LeaseTable;
import io.berth.store.mvcc.KeyRange;
import io.berth.store.mvcc.KvReader;
import io.berth.store.mvcc.MvccStore;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated state and the rules for changing it: KV writes, txns,
 * compaction, leases and member attributes. Applying the same commands in the
 * same order gives the same state on every replica; nothing here reads a clock.
 * Each command either succeeds whole or fails with no change: every check runs
 * before the first write.
 *
 * <p>Not thread-safe: {@link StoreStateMachine} holds the lock.
 */
public final class StoreState {
  /** Told about changes as they are applied, while the state machine's lock is held. */
  public interface Listener {
    void onRevision(long revision, List<Event> events);

    void onLeaseGranted(long id, long ttlSeconds);

    void onLeaseRemoved(long id);

    Listener NONE = new Listener() {
      @Override public void onRevision(long revision, List<Event> events) {}

      @Override public void onLeaseGranted(long id, long ttlSeconds) {}

      @Override public void onLeaseRemoved(long id) {}
    };
  }

  private MvccStore mvcc;
  private final LeaseTable leases = new LeaseTable();
  private final Map<Long, MemberAttributes> members = new TreeMap<>();
  private final Map<Long, UnstartedMember> unstartedMembers = new TreeMap<>();
  private Listener listener = Listener.NONE;

  public StoreState() {
    this.mvcc = new MvccStore();
  }

  public void setListener(Listener listener) {
    this.listener = listener;
  }

  public MvccStore mvcc() {
    return mvcc;
  }

  public LeaseTable leases() {
    return leases;
  }

  public Collection<MemberAttributes> members() {
    return Collections.unmodifiableCollection(members.values());
  }

  /** Members added with MemberAdd that have not published their attributes yet. */
  public Collection<UnstartedMember> unstartedMembers() {
    return Collections.unmodifiableCollection(unstartedMembers.values());
  }

  /** Replaces the whole state with a snapshot's. */
  public void restore(MvccStore restored, Map<Long, Long> leaseTtls, Collection<MemberAttributes> memberList,
      Collection<UnstartedMember> unstarted) {
    this.mvcc = restored;
    leases.all().stream().map(LeaseTable.Lease::id).toList().forEach(leases::remove);
    leaseTtls.forEach(leases::grant);
    for (KeyValue kv : restored.allVersions()) {
      if (kv.getLease() != 0 && restored.get(kv.getKey()) == kv) {
        leases.attach(kv.getLease(), kv.getKey());
      }
    }
    members.clear();
    memberList.forEach(m -> members.put(m.getMemberId(), m));
    unstartedMembers.clear();
    unstarted.forEach(m -> unstartedMembers.put(m.getMemberId(), m));
  }

  /** Applies one log entry. {@code logIndex} makes server-chosen lease ids deterministic. */
  public StoreResult apply(StoreCommand command, long logIndex) {
    StoreResult.Builder result = StoreResult.newBuilder();
    try {
      switch (command.getOpCase()) {
        case PUT -> result.setPut(put(command.getPut()));
        case DELETE_RANGE -> result.setDeleteRange(deleteRange(command.getDeleteRange()));
        case TXN -> result.setTxn(txn(command.getTxn()));
        case COMPACT -> result.setCompact(compact(command.getCompact()));
        case LEASE_GRANT -> result.setLeaseGrant(grant(command.getLeaseGrant(), logIndex));
        case LEASE_REVOKE -> result.setLeaseRevoke(revoke(command.getLeaseRevoke()));
        case LEASE_EXPIRY -> expire(command.getLeaseExpiry());
        case MEMBER_ATTRIBUTES -> publish(command.getMemberAttributes());
        case UNSTARTED_MEMBER -> recordUnstarted(command.getUnstartedMember());
        case BATCH -> result.setBatch(applyBatch(command.getBatch(), logIndex));
        default -> throw new StoreException(Status.Code.INVALID_ARGUMENT, "unknown store command " + command.getOpCase());
      }
    } catch (StoreException e) {
      result.clear().setError(StoreError.newBuilder().setCode(e.code().value()).setMessage(e.getMessage()));
    }
    return result.setRevision(mvcc.revision()).build();
  }

  /**
   * A member's name and client URLs. The MemberAdd record of an added member stays until it is
   * removed: it is what says the member was added, so that attributes a removed member's process
   * publishes late (its proposal overtaken by the removal) do not list it again.
   */
  private void publish(MemberAttributes attributes) {
    members.put(attributes.getMemberId(), attributes);
  }

  private void recordUnstarted(UnstartedMember member) {
    if (member.getRemoved()) {
      // Gone from the cluster, with the name and client URLs it published.
      unstartedMembers.remove(member.getMemberId());
      members.remove(member.getMemberId());
    } else if (!members.containsKey(member.getMemberId())) {
      // Two MemberAdds of one address racing past the leader's check: the first one applied wins.
      boolean addressTaken = unstartedMembers.values().stream()
          .anyMatch(m -> m.getMemberId() != member.getMemberId() && m.getPeerUrl().equals(member.getPeerUrl()));
      if (addressTaken) {
        throw new StoreException(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
      }
      unstartedMembers.put(member.getMemberId(), member);
    }
  }

  private ResultBatch applyBatch(CommandBatch batch, long logIndex) {
    ResultBatch.Builder results = ResultBatch.newBuilder();
    for (StoreCommand command : batch.getCommandsList()) {
      results.addResults(apply(command, logIndex));
    }
    return results.build();
  }

  /** A read at the request's revision (0: current). */
  public RangeResponse range(RangeRequest request) {
    long at = mvcc.resolveReadRevision(request.getRevision());
    return RangeQuery.execute(request, (range, visitor) -> mvcc.scan(range, at, visitor))
        .setHeader(header())
        .build();
  }

  private ResponseHeader header() {
    return ResponseHeader.newBuilder().setRevision(mvcc.revision()).build();
  }

  private PutResponse put(PutRequest request) {
    MvccStore.Write write = mvcc.beginWrite();
    checkPut(request, write::get);
    PutResponse.Builder response = putIn(write, request);
    commit(write);
    return response.setHeader(header()).build();
  }

  private DeleteRangeResponse deleteRange(DeleteRangeRequest request) {
    MvccStore.Write write = mvcc.beginWrite();
    DeleteRangeResponse.Builder response = deleteIn(write, request);
    commit(write);
    return response.setHeader(header()).build();
  }

  private TxnResponse txn(TxnRequest request) {
    MvccStore.Write write = mvcc.beginWrite();
    KvReader before = (range, visitor) -> mvcc.scan(range, mvcc.revision(), visitor);
    TxnPath path = TxnPath.choose(request, before);
    path.forEachOp(request, this::checkTxnOp);
    TxnResponse.Builder response = txnIn(write, request, path);
    commit(write);
    return setHeaders(response, mvcc.revision()).build();
  }

  private static TxnResponse.Builder setHeaders(TxnResponse.Builder txn, long revision) {
    ResponseHeader header = ResponseHeader.newBuilder().setRevision(revision).build();
    txn.setHeader(header);
    for (ResponseOp.Builder op : txn.getResponsesBuilderList()) {
      switch (op.getResponseCase()) {
        case RESPONSE_RANGE -> op.getResponseRangeBuilder().setHeader(header);
        case RESPONSE_PUT -> op.getResponsePutBuilder().setHeader(header);
        case RESPONSE_DELETE_RANGE -> op.getResponseDeleteRangeBuilder().setHeader(header);
        case RESPONSE_TXN -> setHeaders(op.getResponseTxnBuilder(), revision);
        default -> { }
      }
    }
    return txn;
  }

  private TxnResponse.Builder txnIn(MvccStore.Write write, TxnRequest request, TxnPath path) {
    TxnResponse.Builder response = TxnResponse.newBuilder().setSucceeded(path.succeeded());
    int nested = 0;
    for (RequestOp op : path.ops(request)) {
      ResponseOp.Builder out = ResponseOp.newBuilder();
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> out.setResponseRange(rangeIn(write, op.getRequestRange()));
        case REQUEST_PUT -> out.setResponsePut(putIn(write, op.getRequestPut()));
        case REQUEST_DELETE_RANGE -> out.setResponseDeleteRange(deleteIn(write, op.getRequestDeleteRange()));
        case REQUEST_TXN -> out.setResponseTxn(txnIn(write, op.getRequestTxn(), path.nested(nested++)));
        default -> { }
      }
      response.addResponses(out);
    }
    return response;
  }

  /**
   * etcd's checks of a txn op against the state before the txn. A range at a
   * compacted or future revision must fail here: once the txn has begun
   * writing, a failure would leave its writes half applied.
   */
  private void checkTxnOp(RequestOp op) {
    if (op.hasRequestPut()) {
      checkPut(op.getRequestPut(), mvcc::get);
    } else if (op.hasRequestRange() && op.getRequestRange().getRevision() > 0) {
      mvcc.resolveReadRevision(op.getRequestRange().getRevision());
    }
  }

  private RangeResponse.Builder rangeIn(MvccStore.Write write, RangeRequest request) {
    if (request.getRevision() > 0) {
      long at = mvcc.resolveReadRevision(request.getRevision());
      return RangeQuery.execute(request, (range, visitor) -> mvcc.scan(range, at, visitor));
    }
    return RangeQuery.execute(request, write::scan);
  }

  /** etcd refuses the whole write when a put's lease or (with ignore flags) its key is missing. */
  private void checkPut(PutRequest request, KeyLookup current) {
    boolean needsPrevious = request.getIgnoreValue() || request.getIgnoreLease();
    KeyValue previous = current.get(request.getKey());
    if (needsPrevious && previous == null) {
      throw StoreException.keyNotFound();
    }
    long lease = request.getIgnoreLease() ? previous.getLease() : request.getLease();
    if (lease != 0 && !leases.exists(lease)) {
      throw StoreException.leaseNotFound();
    }
  }

  private PutResponse.Builder putIn(MvccStore.Write write, PutRequest request) {
    KeyValue previous = write.get(request.getKey());
    ByteString value = request.getIgnoreValue() ? previous.getValue() : request.getValue();
    long lease = request.getIgnoreLease() ? previous.getLease() : request.getLease();
    write.put(request.getKey(), value, lease);
    if (previous != null && previous.getLease() != 0 && previous.getLease() != lease) {
      leases.detach(previous.getLease(), request.getKey());
    }
    if (lease != 0) {
      leases.attach(lease, request.getKey());
    }
    PutResponse.Builder response = PutResponse.newBuilder();
    if (request.getPrevKv() && previous != null) {
      response.setPrevKv(previous);
    }
    return response;
  }

  private DeleteRangeResponse.Builder deleteIn(MvccStore.Write write, DeleteRangeRequest request) {
    List<KeyValue> deleted = write.delete(KeyRange.of(request.getKey(), request.getRangeEnd()));
    for (KeyValue kv : deleted) {
      if (kv.getLease() != 0) {
        leases.detach(kv.getLease(), kv.getKey());
      }
    }
    DeleteRangeResponse.Builder response = DeleteRangeResponse.newBuilder().setDeleted(deleted.size());
    if (request.getPrevKv()) {
      response.addAllPrevKvs(deleted);
    }
    return response;
  }

  private CompactionResponse compact(CompactionRequest request) {
    mvcc.compact(request.getRevision());
    return CompactionResponse.newBuilder().setHeader(header()).build();
  }

  private LeaseGrantResponse grant(LeaseGrantRequest request, long logIndex) {
    if (request.getTTL() > LeaseTable.MAX_TTL_SECONDS) {
      throw new StoreException(Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL");
    }
    long id = request.getID();
    if (id == 0) {
      id = logIndex;
      while (leases.exists(id)) {
        id++;
      }
    } else if (leases.exists(id)) {
      throw StoreException.leaseExists();
    }
    long ttl = Math.max(1, request.getTTL());
    leases.grant(id, ttl);
    listener.onLeaseGranted(id, ttl);
    return LeaseGrantResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build();
  }

  private LeaseRevokeResponse revoke(LeaseRevokeRequest request) {
    if (!leases.exists(request.getID())) {
      throw StoreException.leaseNotFound();
    }
    removeLease(request.getID());
    return LeaseRevokeResponse.newBuilder().setHeader(header()).build();
  }

  /** Each expired lease is revoked in a revision of its own, as etcd's lessor does. */
  private void expire(LeaseExpiry expiry) {
    for (long id : expiry.getLeaseIdsList()) {
      if (leases.exists(id)) {
        removeLease(id);
      }
    }
  }

  private void removeLease(long id) {
    List<ByteString> keys = new ArrayList<>(leases.remove(id));
    MvccStore.Write write = mvcc.beginWrite();
    for (ByteString key : keys) {
      write.delete(KeyRange.single(key));
    }
    commit(write);
    listener.onLeaseRemoved(id);
  }

  private void commit(MvccStore.Write write) {
    List<Event> events = write.commit();
    if (!events.isEmpty()) {
      listener.onRevision(write.revision(), events);
    }
  }

  @FunctionalInterface
  interface KeyLookup {
    KeyValue get(ByteString key);
  }
}
