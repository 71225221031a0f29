package io.berth.store.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.berth.store.command.LeaseExpiry;
import io.berth.store.command.MemberAttributes;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreResult;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreStateTest {
  private final StoreState state = new StoreState();
  private final List<String> revisions = new ArrayList<>();
  private final List<Long> granted = new ArrayList<>();
  private final List<Long> removed = new ArrayList<>();
  private long logIndex = 1;

  @BeforeEach
  void recordListenerCalls() {
    state.setListener(new StoreState.Listener() {
      @Override public void onRevision(long revision, List<Event> events) {
        revisions.add(revision + ": " + String.join(", ", events.stream().map(StoreStateTest::describe).toList()));
      }

      @Override public void onLeaseGranted(long id, long ttlSeconds) {
        granted.add(id);
      }

      @Override public void onLeaseRemoved(long id) {
        removed.add(id);
      }
    });
  }

  private static String describe(Event e) {
    return e.getType() + " " + e.getKv().getKey().toStringUtf8();
  }

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  // ---- commands and requests ----

  private StoreResult apply(StoreCommand command) {
    return state.apply(command, logIndex++);
  }

  private static PutRequest.Builder putReq(String key, String value) {
    return PutRequest.newBuilder().setKey(b(key)).setValue(b(value));
  }

  private StoreResult put(PutRequest.Builder request) {
    return apply(StoreCommand.newBuilder().setPut(request).build());
  }

  private StoreResult put(String key, String value) {
    return put(putReq(key, value));
  }

  private StoreResult put(String key, String value, long lease) {
    return put(putReq(key, value).setLease(lease));
  }

  private StoreResult delete(DeleteRangeRequest.Builder request) {
    return apply(StoreCommand.newBuilder().setDeleteRange(request).build());
  }

  private StoreResult txn(TxnRequest.Builder request) {
    return apply(StoreCommand.newBuilder().setTxn(request).build());
  }

  private StoreResult grant(long id, long ttl) {
    return apply(StoreCommand.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl)).build());
  }

  private StoreResult revoke(long id) {
    return apply(StoreCommand.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)).build());
  }

  private static RequestOp opPut(String key, String value) {
    return RequestOp.newBuilder().setRequestPut(putReq(key, value)).build();
  }

  private static RequestOp opRange(String key) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b(key))).build();
  }

  private static RequestOp opDelete(String key) {
    return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b(key))).build();
  }

  private static RequestOp opTxn(TxnRequest.Builder txn) {
    return RequestOp.newBuilder().setRequestTxn(txn).build();
  }

  private static Compare versionIs(String key, long version) {
    return Compare.newBuilder().setKey(b(key)).setTarget(Compare.CompareTarget.VERSION)
        .setResult(Compare.CompareResult.EQUAL).setVersion(version).build();
  }

  private KeyValue get(String key) {
    List<KeyValue> kvs = state.range(RangeRequest.newBuilder().setKey(b(key)).build()).getKvsList();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  private long revision() {
    return state.mvcc().revision();
  }

  private static void assertError(StoreResult result, Status.Code code, String message) {
    assertThat(result.hasError()).as("error result").isTrue();
    assertThat(result.getError().getCode()).isEqualTo(code.value());
    assertThat(result.getError().getMessage()).isEqualTo(message);
  }

  // ---- put ----

  @Test
  void putAdvancesTheRevisionAndReportsIt() {
    StoreResult result = put("a", "1");

    assertThat(result.getRevision()).isEqualTo(2);
    assertThat(result.getPut().getHeader().getRevision()).isEqualTo(2);
    assertThat(get("a").getValue()).isEqualTo(b("1"));
    assertThat(revisions).containsExactly("2: PUT a");
  }

  @Test
  void putReturnsPrevKvOnlyWhenAsked() {
    PutResponse first = put(putReq("a", "1").setPrevKv(true)).getPut();
    PutResponse withPrev = put(putReq("a", "2").setPrevKv(true)).getPut();
    PutResponse withoutPrev = put("a", "3").getPut();

    assertThat(first.hasPrevKv()).isFalse();
    assertThat(withPrev.getPrevKv().getValue()).isEqualTo(b("1"));
    assertThat(withPrev.getPrevKv().getModRevision()).isEqualTo(2);
    assertThat(withoutPrev.hasPrevKv()).isFalse();
  }

  @Test
  void putWithIgnoreValueKeepsTheValueAndTakesTheNewLease() {
    grant(7, 60);
    put("a", "1");

    put(putReq("a", "").setIgnoreValue(true).setLease(7));

    assertThat(get("a").getValue()).isEqualTo(b("1"));
    assertThat(get("a").getLease()).isEqualTo(7);
    assertThat(get("a").getVersion()).isEqualTo(2);
  }

  @Test
  void putWithIgnoreLeaseKeepsTheLease() {
    grant(7, 60);
    put("a", "1", 7);

    put(putReq("a", "2").setIgnoreLease(true));

    assertThat(get("a").getValue()).isEqualTo(b("2"));
    assertThat(get("a").getLease()).isEqualTo(7);
    assertThat(state.leases().get(7).keys()).containsExactly(b("a"));
  }

  @Test
  void putWithIgnoreValueOnMissingKeyFailsWithoutChange() {
    StoreResult result = put(putReq("a", "").setIgnoreValue(true));

    assertError(result, Status.Code.INVALID_ARGUMENT, "etcdserver: key not found");
    assertThat(result.getRevision()).isEqualTo(1);
    assertThat(revisions).isEmpty();
  }

  @Test
  void putWithUnknownLeaseFailsWithoutChangingTheRevision() {
    put("a", "1");

    StoreResult result = put("a", "2", 99);

    assertError(result, Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
    assertThat(result.getRevision()).isEqualTo(2);
    assertThat(revision()).isEqualTo(2);
    assertThat(get("a").getValue()).isEqualTo(b("1"));
    assertThat(state.mvcc().allVersions()).hasSize(1);
  }

  // ---- delete ----

  @Test
  void deleteRangeReturnsTheDeletedKeysWhenAskedForPrevKv() {
    put("a", "1");
    put("b", "2");
    put("c", "3");

    DeleteRangeResponse response = delete(DeleteRangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("c"))
        .setPrevKv(true)).getDeleteRange();

    assertThat(response.getDeleted()).isEqualTo(2);
    assertThat(response.getPrevKvsList()).extracting(kv -> kv.getValue().toStringUtf8()).containsExactly("1", "2");
    assertThat(response.getHeader().getRevision()).isEqualTo(5);
    assertThat(get("a")).isNull();
    assertThat(get("c")).isNotNull();
  }

  @Test
  void deleteRangeWithoutPrevKvOnlyCounts() {
    put("a", "1");

    DeleteRangeResponse response = delete(DeleteRangeRequest.newBuilder().setKey(b("a"))).getDeleteRange();

    assertThat(response.getDeleted()).isEqualTo(1);
    assertThat(response.getPrevKvsList()).isEmpty();
  }

  @Test
  void deleteOfMissingKeyDoesNotAdvanceTheRevision() {
    put("a", "1");

    StoreResult result = delete(DeleteRangeRequest.newBuilder().setKey(b("zzz")));

    assertThat(result.getDeleteRange().getDeleted()).isZero();
    assertThat(result.getRevision()).isEqualTo(2);
    assertThat(revisions).containsExactly("2: PUT a");
  }

  // ---- txn ----

  @Test
  void txnTakesTheSuccessBranchWhenEveryCompareHolds() {
    put("a", "1");

    TxnResponse response = txn(TxnRequest.newBuilder().addCompare(versionIs("a", 1))
        .addSuccess(opPut("b", "yes")).addFailure(opPut("b", "no"))).getTxn();

    assertThat(response.getSucceeded()).isTrue();
    assertThat(get("b").getValue()).isEqualTo(b("yes"));
  }

  @Test
  void txnTakesTheFailureBranchWhenACompareFails() {
    put("a", "1");

    TxnResponse response = txn(TxnRequest.newBuilder().addCompare(versionIs("a", 1)).addCompare(versionIs("a", 5))
        .addSuccess(opPut("b", "yes")).addFailure(opPut("b", "no"))).getTxn();

    assertThat(response.getSucceeded()).isFalse();
    assertThat(get("b").getValue()).isEqualTo(b("no"));
  }

  @Test
  void txnWritesShareOneRevisionAndEveryResponseCarriesIt() {
    put("old", "1");

    TxnResponse response = txn(TxnRequest.newBuilder()
        .addSuccess(opPut("a", "1")).addSuccess(opDelete("old")).addSuccess(opRange("a"))
        .addSuccess(opTxn(TxnRequest.newBuilder().addSuccess(opPut("b", "1"))))).getTxn();

    assertThat(revision()).isEqualTo(3);
    assertThat(response.getHeader().getRevision()).isEqualTo(3);
    assertThat(response.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(3);
    assertThat(response.getResponses(1).getResponseDeleteRange().getHeader().getRevision()).isEqualTo(3);
    assertThat(response.getResponses(2).getResponseRange().getHeader().getRevision()).isEqualTo(3);
    assertThat(response.getResponses(3).getResponseTxn().getHeader().getRevision()).isEqualTo(3);
    assertThat(response.getResponses(3).getResponseTxn().getResponses(0).getResponsePut().getHeader().getRevision())
        .isEqualTo(3);
    assertThat(get("b").getModRevision()).isEqualTo(3);
  }

  @Test
  void readOnlyTxnDoesNotAdvanceTheRevision() {
    put("a", "1");

    StoreResult result = txn(TxnRequest.newBuilder().addSuccess(opRange("a")));

    assertThat(result.getRevision()).isEqualTo(2);
    assertThat(result.getTxn().getResponses(0).getResponseRange().getKvs(0).getValue()).isEqualTo(b("1"));
  }

  @Test
  void readsInsideATxnSeeEarlierWritesOfTheSameTxn() {
    put("a", "1");

    TxnResponse response = txn(TxnRequest.newBuilder()
        .addSuccess(opRange("a")).addSuccess(opPut("a", "2")).addSuccess(opRange("a"))
        .addSuccess(opDelete("a")).addSuccess(opRange("a"))).getTxn();

    List<ResponseOp> ops = response.getResponsesList();
    assertThat(ops.get(0).getResponseRange().getKvs(0).getValue()).isEqualTo(b("1"));
    assertThat(ops.get(2).getResponseRange().getKvs(0).getValue()).isEqualTo(b("2"));
    assertThat(ops.get(2).getResponseRange().getKvs(0).getModRevision()).isEqualTo(3);
    assertThat(ops.get(4).getResponseRange().getKvsList()).isEmpty();
  }

  @Test
  void nestedTxnsTakeTheirOwnBranches() {
    put("a", "1");
    TxnRequest.Builder nestedSucceeds = TxnRequest.newBuilder().addCompare(versionIs("a", 1))
        .addSuccess(opPut("x", "then")).addFailure(opPut("x", "else"));
    TxnRequest.Builder nestedFails = TxnRequest.newBuilder().addCompare(versionIs("a", 9))
        .addSuccess(opPut("y", "then")).addFailure(opPut("y", "else"));

    TxnResponse response = txn(TxnRequest.newBuilder().addCompare(versionIs("a", 1))
        .addSuccess(opTxn(nestedSucceeds)).addSuccess(opTxn(nestedFails))).getTxn();

    assertThat(response.getSucceeded()).isTrue();
    assertThat(response.getResponses(0).getResponseTxn().getSucceeded()).isTrue();
    assertThat(response.getResponses(1).getResponseTxn().getSucceeded()).isFalse();
    assertThat(get("x").getValue()).isEqualTo(b("then"));
    assertThat(get("y").getValue()).isEqualTo(b("else"));
  }

  @Test
  void nestedTxnInTheFailureBranchRuns() {
    TxnRequest.Builder nested = TxnRequest.newBuilder().addSuccess(opPut("x", "1"));

    TxnResponse response = txn(TxnRequest.newBuilder().addCompare(versionIs("a", 1))
        .addFailure(opTxn(nested))).getTxn();

    assertThat(response.getSucceeded()).isFalse();
    assertThat(get("x")).isNotNull();
  }

  @Test
  void nestedComparesAreDecidedAgainstTheStateBeforeTheTxn() {
    TxnRequest.Builder nested = TxnRequest.newBuilder().addCompare(versionIs("a", 0))
        .addSuccess(opPut("b", "a was missing")).addFailure(opPut("b", "a existed"));

    txn(TxnRequest.newBuilder().addSuccess(opPut("a", "1")).addSuccess(opTxn(nested)));

    assertThat(get("b").getValue()).isEqualTo(b("a was missing"));
  }

  @Test
  void failingPutCheckInATxnLeavesTheStoreUnchanged() {
    put("a", "1");

    StoreResult result = txn(TxnRequest.newBuilder().addSuccess(opPut("a", "2"))
        .addSuccess(opTxn(TxnRequest.newBuilder().addSuccess(
            RequestOp.newBuilder().setRequestPut(putReq("b", "1").setLease(99)).build()))));

    assertError(result, Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
    assertThat(revision()).isEqualTo(2);
    assertThat(get("a").getValue()).isEqualTo(b("1"));
    assertThat(get("b")).isNull();
    assertThat(revisions).containsExactly("2: PUT a");
  }

  @Test
  void txnCanBeGuardedByTheLeaseOfAKey() {
    grant(7, 10);
    put("lock", "me", 7);
    Compare heldUnderLease7 = Compare.newBuilder().setKey(b("lock")).setTargetValue(4) // LEASE, etcd 3.3+
        .setResult(Compare.CompareResult.EQUAL)
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(8, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build())
        .build();

    TxnResponse response = txn(TxnRequest.newBuilder().addCompare(heldUnderLease7).addSuccess(opPut("x", "1"))).getTxn();

    assertThat(response.getSucceeded()).isTrue();
    assertThat(get("x")).isNotNull();
  }

  @Test
  void unknownCompareTargetFailsTheTxnWithoutChange() {
    StoreResult result = txn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(b("a")).setTargetValue(9)).addSuccess(opPut("x", "1")));

    assertThat(result.getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(revision()).isEqualTo(1);
  }

  @Test
  void putCheckOnTheBranchNotTakenDoesNotFailTheTxn() {
    StoreResult result = txn(TxnRequest.newBuilder().addCompare(versionIs("a", 5))
        .addSuccess(RequestOp.newBuilder().setRequestPut(putReq("b", "1").setLease(99)).build())
        .addFailure(opPut("c", "1")));

    assertThat(result.hasError()).isFalse();
    assertThat(get("c")).isNotNull();
  }

  @Test
  void txnReadOfFutureRevisionFailsBeforeAnyWrite() {
    put("a", "1");
    RequestOp futureRead = RequestOp.newBuilder()
        .setRequestRange(RangeRequest.newBuilder().setKey(b("a")).setRevision(99)).build();

    StoreResult result = txn(TxnRequest.newBuilder().addSuccess(opPut("a", "2")).addSuccess(futureRead));

    assertError(result, Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
    assertStoreStillHoldsOnlyTheFirstPutOfA();
    assertThat(put("a", "3").getRevision()).isEqualTo(3);
    assertThat(get("a").getVersion()).isEqualTo(2);
  }

  @Test
  void txnReadOfCompactedRevisionFailsBeforeAnyWrite() {
    put("a", "1");
    put("x", "1");
    apply(StoreCommand.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(3)).build());
    RequestOp compactedRead = RequestOp.newBuilder()
        .setRequestRange(RangeRequest.newBuilder().setKey(b("a")).setRevision(2)).build();

    StoreResult result = txn(TxnRequest.newBuilder().addSuccess(opPut("b", "1"))
        .addSuccess(opTxn(TxnRequest.newBuilder().addSuccess(compactedRead))));

    assertError(result, Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
    assertThat(revision()).isEqualTo(3);
    assertThat(get("b")).isNull();
    put("b", "2");
    assertThat(get("b").getVersion()).isEqualTo(1); // no trace of the failed txn's put
  }

  private void assertStoreStillHoldsOnlyTheFirstPutOfA() {
    assertThat(revision()).isEqualTo(2);
    assertThat(get("a").getValue()).isEqualTo(b("1"));
    assertThat(state.mvcc().allVersions()).hasSize(1);
    assertThat(revisions).containsExactly("2: PUT a");
  }

  @Test
  void txnReadAtAPastRevisionSeesThatRevision() {
    put("a", "1");
    put("a", "2");
    RequestOp pastRead = RequestOp.newBuilder()
        .setRequestRange(RangeRequest.newBuilder().setKey(b("a")).setRevision(2)).build();

    TxnResponse response = txn(TxnRequest.newBuilder().addSuccess(opPut("a", "3")).addSuccess(pastRead)).getTxn();

    assertThat(response.getResponses(1).getResponseRange().getKvs(0).getValue()).isEqualTo(b("1"));
  }

  @Test
  void listenerGetsAllEventsOfARevisionInOneCallInTheirOrder() {
    put("a", "1");

    txn(TxnRequest.newBuilder().addSuccess(opPut("z", "1")).addSuccess(opDelete("a")).addSuccess(opPut("b", "1")));

    assertThat(revisions).containsExactly("2: PUT a", "3: PUT z, DELETE a, PUT b");
  }

  // ---- compaction and reads ----

  @Test
  void compactionCommandCompactsWithoutChangingTheRevision() {
    put("a", "1");
    put("a", "2");
    put("a", "3");

    StoreResult result = apply(StoreCommand.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(3)).build());

    assertThat(result.hasError()).isFalse();
    assertThat(result.getCompact().getHeader().getRevision()).isEqualTo(4);
    assertThat(state.mvcc().compactedRevision()).isEqualTo(3);
    assertThat(state.range(RangeRequest.newBuilder().setKey(b("a")).setRevision(3).build()).getKvs(0).getValue())
        .isEqualTo(b("2"));
    assertThatThrownBy(() -> state.range(RangeRequest.newBuilder().setKey(b("a")).setRevision(2).build()))
        .hasMessage("etcdserver: mvcc: required revision has been compacted");
  }

  @Test
  void compactionOfAnAlreadyCompactedOrFutureRevisionIsAnError() {
    put("a", "1");
    put("a", "2");
    apply(StoreCommand.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(3)).build());

    assertError(apply(StoreCommand.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(2)).build()),
        Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
    assertError(apply(StoreCommand.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(9)).build()),
        Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
  }

  @Test
  void rangeCarriesTheCurrentRevisionInItsHeader() {
    put("a", "1");
    put("b", "1");

    assertThat(state.range(RangeRequest.newBuilder().setKey(b("a")).setRevision(2).build()).getHeader().getRevision())
        .isEqualTo(3);
  }

  @Test
  void unknownCommandIsAnErrorNotACrash() {
    StoreResult result = apply(StoreCommand.getDefaultInstance());

    assertThat(result.getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(result.getRevision()).isEqualTo(1);
  }

  @Test
  void memberAttributesAreKeptByMemberId() {
    MemberAttributes first = MemberAttributes.newBuilder().setMemberId(1).setName("one").addClientUrls("http://a").build();
    MemberAttributes updated = first.toBuilder().setName("uno").build();

    apply(StoreCommand.newBuilder().setMemberAttributes(first).build());
    apply(StoreCommand.newBuilder().setMemberAttributes(updated).build());

    assertThat(state.members()).containsExactly(updated);
    assertThat(revision()).isEqualTo(1);
  }

  // ---- leases ----

  @Test
  void grantWithIdZeroLetsTheServerPickAPositiveId() {
    logIndex = 42;
    StoreResult first = grant(0, 10);
    logIndex = 42; // a replay at the same index must not collide with the lease it granted
    StoreResult second = grant(0, 10);

    assertThat(first.getLeaseGrant().getID()).isEqualTo(42);
    assertThat(second.getLeaseGrant().getID()).isEqualTo(43);
    assertThat(first.getLeaseGrant().getTTL()).isEqualTo(10);
    assertThat(granted).containsExactly(42L, 43L);
    assertThat(revision()).isEqualTo(1);
  }

  @Test
  void grantOfAnExistingIdFails() {
    grant(7, 10);

    assertError(grant(7, 20), Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists");
    assertThat(state.leases().get(7).ttlSeconds()).isEqualTo(10);
    assertThat(granted).containsExactly(7L);
  }

  @Test
  void grantOfTooLargeTtlFailsAndZeroTtlBecomesOneSecond() {
    assertError(grant(7, 9_000_000_001L), Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL");
    assertThat(grant(8, 0).getLeaseGrant().getTTL()).isEqualTo(1);
  }

  @Test
  void putAttachesTheKeyToItsLease() {
    grant(7, 10);

    put("a", "1", 7);
    put("b", "1", 7);

    assertThat(state.leases().get(7).keys()).containsExactly(b("a"), b("b"));
  }

  @Test
  void keyMovingToAnotherLeaseIsDetachedFromTheFirst() {
    grant(7, 10);
    grant(8, 10);
    put("a", "1", 7);

    put("a", "2", 8);

    assertThat(state.leases().get(7).keys()).isEmpty();
    assertThat(state.leases().get(8).keys()).containsExactly(b("a"));
    revoke(7);
    assertThat(get("a").getValue()).isEqualTo(b("2"));
  }

  @Test
  void putWithoutLeaseDetachesTheKey() {
    grant(7, 10);
    put("a", "1", 7);

    put("a", "2");

    assertThat(state.leases().get(7).keys()).isEmpty();
    assertThat(get("a").getLease()).isZero();
  }

  @Test
  void deleteDetachesTheKey() {
    grant(7, 10);
    put("a", "1", 7);

    delete(DeleteRangeRequest.newBuilder().setKey(b("a")));

    assertThat(state.leases().get(7).keys()).isEmpty();
  }

  @Test
  void revokeDeletesAttachedKeysInOneRevision() {
    grant(7, 10);
    put("a", "1", 7);
    put("b", "1", 7);
    put("c", "1");

    StoreResult result = revoke(7);

    assertThat(result.hasError()).isFalse();
    assertThat(result.getLeaseRevoke().getHeader().getRevision()).isEqualTo(5);
    assertThat(get("a")).isNull();
    assertThat(get("b")).isNull();
    assertThat(get("c")).isNotNull();
    assertThat(state.leases().exists(7)).isFalse();
    assertThat(revisions).last().isEqualTo("5: DELETE a, DELETE b");
    assertThat(removed).containsExactly(7L);
  }

  @Test
  void revokeOfLeaseWithoutKeysDoesNotAdvanceTheRevision() {
    grant(7, 10);

    StoreResult result = revoke(7);

    assertThat(result.getRevision()).isEqualTo(1);
    assertThat(state.leases().exists(7)).isFalse();
    assertThat(removed).containsExactly(7L);
  }

  @Test
  void revokeOfUnknownLeaseFails() {
    assertError(revoke(7), Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
    assertThat(removed).isEmpty();
  }

  @Test
  void leaseExpiryDeletesEachLeaseKeysInARevisionOfItsOwn() {
    grant(7, 10);
    grant(8, 10);
    put("a", "1", 7);
    put("b", "1", 8);
    put("c", "1", 8);

    StoreResult result = apply(StoreCommand.newBuilder()
        .setLeaseExpiry(LeaseExpiry.newBuilder().addLeaseIds(7).addLeaseIds(99).addLeaseIds(8)).build());

    assertThat(result.hasError()).isFalse();
    assertThat(result.getRevision()).isEqualTo(6);
    assertThat(revisions).endsWith("5: DELETE a", "6: DELETE b, DELETE c");
    assertThat(state.leases().size()).isZero();
    assertThat(removed).containsExactly(7L, 8L);
  }

  @Test
  void leaseExpiryOfAnAlreadyRevokedLeaseChangesNothing() {
    grant(7, 10);
    put("a", "1", 7);
    revoke(7);

    StoreResult result = apply(StoreCommand.newBuilder().setLeaseExpiry(LeaseExpiry.newBuilder().addLeaseIds(7)).build());

    assertThat(result.getRevision()).isEqualTo(3);
    assertThat(removed).containsExactly(7L);
  }

  // ---- group commit ----

  @Test
  void eachCommandOfABatchIsAppliedAsIfItWereAnEntryOfItsOwn() {
    grant(7, 60);
    StoreResult batch = apply(StoreCommand.newBuilder().setBatch(io.berth.store.command.CommandBatch.newBuilder()
        .addCommands(StoreCommand.newBuilder().setPut(putReq("a", "1")))
        .addCommands(StoreCommand.newBuilder().setPut(putReq("b", "2").setLease(99)))
        .addCommands(StoreCommand.newBuilder().setPut(putReq("a", "3").setLease(7)))).build());

    List<StoreResult> results = batch.getBatch().getResultsList();
    assertThat(results).hasSize(3);
    assertThat(results.get(0).getPut().getHeader().getRevision()).isEqualTo(2);
    assertThat(results.get(1).getError().getMessage()).isEqualTo("etcdserver: requested lease not found");
    assertThat(results.get(2).getPut().getHeader().getRevision()).isEqualTo(3);
    assertThat(batch.getRevision()).isEqualTo(3);
    assertThat(revisions).containsExactly("2: PUT a", "3: PUT a");
    assertThat(state.leases().get(7).keys()).containsExactly(b("a"));
  }

  // ---- members ----

  @Test
  void anAddedMemberKeepsItsRecordWhenItPublishesItsAttributes() {
    apply(StoreCommand.newBuilder().setUnstartedMember(io.berth.store.command.UnstartedMember.newBuilder()
        .setMemberId(4).setPeerUrl("http://127.0.0.1:4")).build());
    assertThat(state.unstartedMembers()).extracting(io.berth.store.command.UnstartedMember::getMemberId)
        .containsExactly(4L);

    apply(StoreCommand.newBuilder().setMemberAttributes(io.berth.store.command.MemberAttributes.newBuilder()
        .setMemberId(4).setName("s4").addClientUrls("http://127.0.0.1:5")).build());

    // The record stays, as the proof that s4 was added, until it is removed.
    assertThat(state.unstartedMembers()).extracting(io.berth.store.command.UnstartedMember::getMemberId)
        .containsExactly(4L);
    assertThat(state.members()).extracting(io.berth.store.command.MemberAttributes::getName).containsExactly("s4");
  }

  @Test
  void anUnstartedMemberCanBeRemovedBeforeItJoins() {
    apply(StoreCommand.newBuilder().setUnstartedMember(io.berth.store.command.UnstartedMember.newBuilder()
        .setMemberId(4).setPeerUrl("http://127.0.0.1:4")).build());
    apply(StoreCommand.newBuilder().setUnstartedMember(io.berth.store.command.UnstartedMember.newBuilder()
        .setMemberId(4).setRemoved(true)).build());

    assertThat(state.unstartedMembers()).isEmpty();
    assertThat(revisions).isEmpty();
  }

  @Test
  void aRemovedMemberLosesItsPublishedAttributes() {
    apply(StoreCommand.newBuilder().setMemberAttributes(io.berth.store.command.MemberAttributes.newBuilder()
        .setMemberId(4).setName("s4")).build());
    apply(StoreCommand.newBuilder().setUnstartedMember(io.berth.store.command.UnstartedMember.newBuilder()
        .setMemberId(4).setRemoved(true)).build());

    assertThat(state.members()).isEmpty();
  }

  @Test
  void aSecondUnstartedMemberAtTheSameAddressIsRefused() {
    apply(StoreCommand.newBuilder().setUnstartedMember(io.berth.store.command.UnstartedMember.newBuilder()
        .setMemberId(4).setPeerUrl("http://127.0.0.1:4")).build());
    StoreResult second = apply(StoreCommand.newBuilder().setUnstartedMember(io.berth.store.command.UnstartedMember
        .newBuilder().setMemberId(5).setPeerUrl("http://127.0.0.1:4")).build());

    assertThat(second.getError().getMessage()).isEqualTo("etcdserver: Peer URLs already exists");
    assertThat(state.unstartedMembers()).extracting(io.berth.store.command.UnstartedMember::getMemberId)
        .containsExactly(4L);
  }
}
