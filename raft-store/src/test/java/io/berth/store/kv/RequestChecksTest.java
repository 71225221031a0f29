package io.berth.store.kv;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.util.Collections;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RequestChecksTest {
  private static final String DUPLICATE = "etcdserver: duplicate key given in txn request";
  private static final String NO_KEY = "etcdserver: key is not provided";

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static RequestOp put(String key) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b(key)).setValue(b("v"))).build();
  }

  private static RequestOp delete(String key, String end) {
    return RequestOp.newBuilder()
        .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b(key)).setRangeEnd(b(end))).build();
  }

  private static RequestOp range(String key) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b(key))).build();
  }

  private static RequestOp txn(TxnRequest.Builder txn) {
    return RequestOp.newBuilder().setRequestTxn(txn).build();
  }

  private static TxnRequest.Builder then(RequestOp... ops) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (RequestOp op : ops) {
      txn.addSuccess(op);
    }
    return txn;
  }

  private static ThrowingCallable check(TxnRequest.Builder txn) {
    return () -> RequestChecks.checkTxn(txn.build());
  }

  private static void assertRejected(TxnRequest.Builder txn, String message) {
    assertThatThrownBy(check(txn)).isInstanceOf(StoreException.class).hasMessage(message);
  }

  @Test
  void singleRequestsNeedAKey() {
    assertThatThrownBy(() -> RequestChecks.checkRange(RangeRequest.newBuilder().setRangeEnd(b("z")).build()))
        .hasMessage(NO_KEY);
    assertThatThrownBy(() -> RequestChecks.checkPut(PutRequest.newBuilder().setValue(b("v")).build()))
        .hasMessage(NO_KEY);
    assertThatThrownBy(() -> RequestChecks.checkDelete(DeleteRangeRequest.getDefaultInstance()))
        .hasMessage(NO_KEY);
    assertThatCode(() -> RequestChecks.checkPut(put("k").getRequestPut())).doesNotThrowAnyException();
  }

  @Test
  void putWithIgnoreValueMustNotCarryAValue() {
    PutRequest request = PutRequest.newBuilder().setKey(b("k")).setValue(b("v")).setIgnoreValue(true).build();

    assertThatThrownBy(() -> RequestChecks.checkPut(request)).hasMessage("etcdserver: value is provided");
    assertRejected(then(RequestOp.newBuilder().setRequestPut(request).build()), "etcdserver: value is provided");
  }

  @Test
  void putWithIgnoreLeaseMustNotCarryALease() {
    PutRequest request = PutRequest.newBuilder().setKey(b("k")).setLease(5).setIgnoreLease(true).build();

    assertThatThrownBy(() -> RequestChecks.checkPut(request)).hasMessage("etcdserver: lease is provided");
  }

  @Test
  void txnOpsAndComparesNeedKeys() {
    assertRejected(TxnRequest.newBuilder().addCompare(Compare.newBuilder().setVersion(0)), NO_KEY);
    assertRejected(then(range("")), NO_KEY);
    assertRejected(TxnRequest.newBuilder().addFailure(put("")), NO_KEY);
    assertRejected(then(txn(then(delete("", "")))), NO_KEY);
  }

  @Test
  void emptyOpIsRejectedAsEtcdDoes() {
    assertRejected(then(RequestOp.getDefaultInstance()), "etcdserver: key not found");
  }

  @Test
  void moreThanMaxTxnOpsInAnyListIsRejected() {
    RequestOp[] max = Collections.nCopies(RequestChecks.MAX_TXN_OPS, range("k")).toArray(RequestOp[]::new);
    Compare compare = Compare.newBuilder().setKey(b("k")).build();
    String tooMany = "etcdserver: too many operations in txn request";

    assertThatCode(check(then(max))).doesNotThrowAnyException();
    assertRejected(then(max).addSuccess(range("k")), tooMany);
    assertRejected(TxnRequest.newBuilder().addAllFailure(then(max).getSuccessList()).addFailure(range("k")), tooMany);
    TxnRequest.Builder compares = TxnRequest.newBuilder();
    for (int i = 0; i <= RequestChecks.MAX_TXN_OPS; i++) {
      compares.addCompare(compare);
    }
    assertRejected(compares, tooMany);
    assertRejected(then(txn(then(max).addSuccess(range("k")))), tooMany);
  }

  @Test
  void sameKeyPutTwiceInOneBranchIsDuplicate() {
    assertRejected(then(put("a"), put("a")), DUPLICATE);
  }

  @Test
  void successAndFailureMayPutTheSameKey() {
    assertThatCode(check(then(put("a")).addFailure(put("a")))).doesNotThrowAnyException();
  }

  @Test
  void putInsideARangeTheSameBranchDeletesIsDuplicate() {
    assertRejected(then(delete("a", "c"), put("b")), DUPLICATE);
    assertRejected(then(put("b"), delete("a", "c")), DUPLICATE);
    assertRejected(then(delete("b", ""), put("b")), DUPLICATE);
    assertRejected(then(delete("a", "\0"), put("zzz")), DUPLICATE);
  }

  @Test
  void putOutsideDeletedRangesIsFine() {
    assertThatCode(check(then(delete("a", "c"), put("c"), put("0")))).doesNotThrowAnyException();
    assertThatCode(check(then(delete("a", "c"), delete("b", "d")))).doesNotThrowAnyException();
    assertThatCode(check(then(range("a"), range("a"), put("a")))).doesNotThrowAnyException();
  }

  @Test
  void nestedThenAndElseMayPutTheSameKey() {
    TxnRequest.Builder nested = then(put("a")).addFailure(put("a"));

    assertThatCode(check(then(txn(nested)))).doesNotThrowAnyException();
  }

  @Test
  void nestedPutOfAKeyTheOuterBranchPutsIsDuplicate() {
    assertRejected(then(put("a"), txn(then(put("a")))), DUPLICATE);
    assertRejected(then(put("a"), txn(TxnRequest.newBuilder().addFailure(put("a")))), DUPLICATE);
  }

  @Test
  void twoNestedTxnsPuttingTheSameKeyAreDuplicate() {
    assertRejected(then(txn(then(put("a"))), txn(then(put("a")))), DUPLICATE);
    assertRejected(then(txn(then(put("a"))), txn(TxnRequest.newBuilder().addFailure(put("a")))), DUPLICATE);
  }

  @Test
  void nestedPutInsideARangeTheOuterBranchDeletesIsDuplicate() {
    assertRejected(then(delete("a", "c"), txn(then(put("b")))), DUPLICATE);
    assertRejected(then(delete("a", "c"), txn(TxnRequest.newBuilder().addFailure(put("b")))), DUPLICATE);
  }

  @Test
  void outerPutInsideARangeANestedTxnDeletesIsDuplicate() {
    assertRejected(then(txn(then(delete("a", "c"))), put("b")), DUPLICATE);
    assertRejected(then(txn(TxnRequest.newBuilder().addFailure(delete("a", "c"))), put("b")), DUPLICATE);
  }

  @Test
  void deeplyNestedDuplicatesAreFound() {
    assertRejected(then(put("a"), txn(then(txn(then(txn(then(put("a")))))))), DUPLICATE);
  }

  @Test
  void failureBranchIsCheckedOnItsOwn() {
    assertRejected(TxnRequest.newBuilder().addFailure(put("a")).addFailure(put("a")), DUPLICATE);
    assertThatCode(check(then(delete("a", "c")).addFailure(put("b")))).doesNotThrowAnyException();
  }
}
