package io.berth.store.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.berth.store.mvcc.KvReader;
import io.berth.store.mvcc.MvccStore;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeRequest.SortOrder;
import io.etcd.jetcd.api.RangeRequest.SortTarget;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/*
 * The keys every test reads, chosen so that each sort target gives its own order:
 *
 *   key  value  version  create  mod
 *   a    u      3        3       7
 *   b    y      1        4       4
 *   c    w      2        2       5
 *
 *   by KEY a b c;  VERSION b c a;  CREATE c a b;  MOD b c a;  VALUE a c b
 */
class RangeQueryTest {
  private final MvccStore store = new MvccStore();
  private final KvReader reader = (range, visitor) -> store.scan(range, store.revision(), visitor);

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private void put(String key, String value) {
    MvccStore.Write write = store.beginWrite();
    write.put(b(key), b(value), 0);
    write.commit();
  }

  @BeforeEach
  void keys() {
    put("c", "x"); // 2
    put("a", "z"); // 3
    put("b", "y"); // 4
    put("c", "w"); // 5
    put("a", "v"); // 6
    put("a", "u"); // 7
  }

  private static RangeRequest.Builder all() {
    return RangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("\0"));
  }

  private RangeResponse run(RangeRequest.Builder request) {
    return RangeQuery.execute(request.build(), reader).build();
  }

  private static List<String> keys(RangeResponse response) {
    return response.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
  }

  @Test
  void missingKeyIsRejected() {
    assertThatThrownBy(() -> run(RangeRequest.newBuilder().setRangeEnd(b("z"))))
        .isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessage("etcdserver: key is not provided");
  }

  @Test
  void emptyRangeEndReadsOneKey() {
    RangeResponse response = run(RangeRequest.newBuilder().setKey(b("b")));

    assertThat(keys(response)).containsExactly("b");
    assertThat(response.getCount()).isEqualTo(1);
    assertThat(response.getMore()).isFalse();
  }

  @Test
  void missingKeyReadsNothing() {
    RangeResponse response = run(RangeRequest.newBuilder().setKey(b("nope")));

    assertThat(response.getKvsList()).isEmpty();
    assertThat(response.getCount()).isZero();
  }

  @Test
  void resultsComeInKeyOrder() {
    assertThat(keys(run(all()))).containsExactly("a", "b", "c");
    assertThat(keys(run(RangeRequest.newBuilder().setKey(b("b")).setRangeEnd(b("c"))))).containsExactly("b");
  }

  @Test
  void limitCutsResultsSetsMoreAndCountIgnoresIt() {
    RangeResponse response = run(all().setLimit(2));

    assertThat(keys(response)).containsExactly("a", "b");
    assertThat(response.getMore()).isTrue();
    assertThat(response.getCount()).isEqualTo(3);
  }

  @Test
  void limitThatCutsNothingDoesNotSetMore() {
    RangeResponse exact = run(all().setLimit(3));
    RangeResponse larger = run(all().setLimit(10));

    assertThat(keys(exact)).containsExactly("a", "b", "c");
    assertThat(exact.getMore()).isFalse();
    assertThat(larger.getMore()).isFalse();
  }

  @Test
  void countOnlyReturnsTheCountAndNoKeys() {
    RangeResponse response = run(all().setCountOnly(true).setLimit(1));

    assertThat(response.getCount()).isEqualTo(3);
    assertThat(response.getKvsList()).isEmpty();
    assertThat(response.getMore()).isFalse();
  }

  @Test
  void keysOnlyLeavesOutValuesButKeepsRevisions() {
    RangeResponse response = run(all().setKeysOnly(true));

    assertThat(response.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue()).isEmpty());
    assertThat(response.getKvs(0).getModRevision()).isEqualTo(7);
    assertThat(response.getKvs(0).getVersion()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "KEY, ASCEND, a b c",
      "KEY, DESCEND, c b a",
      "KEY, NONE, a b c",
      "VERSION, ASCEND, b c a",
      "VERSION, DESCEND, a c b",
      "CREATE, ASCEND, c a b",
      "CREATE, DESCEND, b a c",
      "MOD, ASCEND, b c a",
      "MOD, DESCEND, a c b",
      "VALUE, ASCEND, a c b",
      "VALUE, DESCEND, b c a",
  })
  void sortsByTargetAndOrder(SortTarget target, SortOrder order, String expected) {
    assertThat(keys(run(all().setSortTarget(target).setSortOrder(order))))
        .containsExactly(expected.split(" "));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"VERSION, b c a", "CREATE, c a b", "MOD, b c a", "VALUE, a c b"})
  void sortTargetOtherThanKeyWithoutOrderMeansAscending(SortTarget target, String expected) {
    assertThat(keys(run(all().setSortTarget(target).setSortOrder(SortOrder.NONE))))
        .containsExactly(expected.split(" "));
  }

  @Test
  void limitAppliesAfterSorting() {
    RangeResponse response = run(all().setSortTarget(SortTarget.MOD).setSortOrder(SortOrder.DESCEND).setLimit(2));

    assertThat(keys(response)).containsExactly("a", "c");
    assertThat(response.getMore()).isTrue();
    assertThat(response.getCount()).isEqualTo(3);
  }

  @Test
  void modRevisionFiltersAreInclusive() {
    assertThat(keys(run(all().setMinModRevision(5)))).containsExactly("a", "c");
    assertThat(keys(run(all().setMaxModRevision(5)))).containsExactly("b", "c");
    assertThat(keys(run(all().setMinModRevision(5).setMaxModRevision(5)))).containsExactly("c");
  }

  @Test
  void createRevisionFiltersAreInclusive() {
    assertThat(keys(run(all().setMinCreateRevision(3)))).containsExactly("a", "b");
    assertThat(keys(run(all().setMaxCreateRevision(3)))).containsExactly("a", "c");
  }

  @Test
  void countIgnoresFiltersAsEtcdDoes() {
    RangeResponse response = run(all().setMinModRevision(6));

    assertThat(keys(response)).containsExactly("a");
    assertThat(response.getCount()).isEqualTo(3);
  }

  @Test
  void moreIsDecidedAfterFiltering() {
    RangeResponse cut = run(all().setMaxModRevision(5).setLimit(1));
    RangeResponse uncut = run(all().setMinModRevision(6).setLimit(1));

    assertThat(keys(cut)).containsExactly("b");
    assertThat(cut.getMore()).isTrue();
    assertThat(keys(uncut)).containsExactly("a");
    assertThat(uncut.getMore()).isFalse();
  }

  @Test
  void returnsTheVersionsTheReaderSees() {
    KvReader past = (range, visitor) -> store.scan(range, 4, visitor);

    List<KeyValue> kvs = RangeQuery.execute(all().build(), past).build().getKvsList();

    assertThat(kvs).extracting(kv -> kv.getValue().toStringUtf8()).containsExactly("z", "y", "x");
  }
}
