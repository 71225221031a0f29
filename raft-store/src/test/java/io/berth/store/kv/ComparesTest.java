package io.berth.store.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.berth.store.mvcc.KvReader;
import io.berth.store.mvcc.MvccStore;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.Compare.CompareResult;
import io.etcd.jetcd.api.Compare.CompareTarget;
import io.grpc.Status;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/*
 * Key "k" after three writes:  value "v", version 2, create_revision 2, mod_revision 3, lease 7.
 * Each target is compared with an operand below, equal to and above that value, under each result.
 */
class ComparesTest {
  private static final int LEASE = EtcdExtensions.COMPARE_TARGET_LEASE;

  private final MvccStore store = new MvccStore();
  private final KvReader reader = (range, visitor) -> store.scan(range, store.revision(), visitor);

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private void put(String key, String value, long lease) {
    MvccStore.Write write = store.beginWrite();
    write.put(b(key), b(value), lease);
    write.commit();
  }

  @BeforeEach
  void keyK() {
    put("k", "u", 0); // 2
    put("k", "v", 7); // 3
  }

  /** A compare of {@code target} whose operand is {@code operand} (a string for VALUE, a number otherwise). */
  static Compare compare(String key, int target, CompareResult result, String operand) {
    Compare.Builder c = Compare.newBuilder().setKey(b(key)).setTargetValue(target).setResult(result);
    switch (target) {
      case CompareTarget.VALUE_VALUE -> c.setValue(b(operand));
      case CompareTarget.VERSION_VALUE -> c.setVersion(Long.parseLong(operand));
      case CompareTarget.CREATE_VALUE -> c.setCreateRevision(Long.parseLong(operand));
      case CompareTarget.MOD_VALUE -> c.setModRevision(Long.parseLong(operand));
      default -> c.setUnknownFields(leaseOperand(Long.parseLong(operand)));
    }
    return c.build();
  }

  /** etcd 3.3+'s Compare.lease (field 8), which jetcd-grpc's proto does not know. */
  static UnknownFieldSet leaseOperand(long lease) {
    return UnknownFieldSet.newBuilder()
        .addField(8, UnknownFieldSet.Field.newBuilder().addVarint(lease).build())
        .build();
  }

  private boolean holds(Compare compare) {
    return Compares.allHold(List.of(compare), reader);
  }

  /** target, below, equal, above: operands around k's value for that target. */
  static Stream<Arguments> everyTargetAndResult() {
    String[][] targets = {
        {"VERSION", "1", "2", "3"},
        {"CREATE", "1", "2", "3"},
        {"MOD", "2", "3", "4"},
        {"VALUE", "u", "v", "w"},
        {"LEASE", "6", "7", "8"},
    };
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String[] t : targets) {
      int target = t[0].equals("LEASE") ? LEASE : CompareTarget.valueOf(t[0]).getNumber();
      // operand below, equal, above -> whether k's value is EQUAL, GREATER, LESS, NOT_EQUAL to it
      cases.add(Arguments.of(t[0], target, CompareResult.EQUAL, t[1], false));
      cases.add(Arguments.of(t[0], target, CompareResult.EQUAL, t[2], true));
      cases.add(Arguments.of(t[0], target, CompareResult.EQUAL, t[3], false));
      cases.add(Arguments.of(t[0], target, CompareResult.GREATER, t[1], true));
      cases.add(Arguments.of(t[0], target, CompareResult.GREATER, t[2], false));
      cases.add(Arguments.of(t[0], target, CompareResult.GREATER, t[3], false));
      cases.add(Arguments.of(t[0], target, CompareResult.LESS, t[1], false));
      cases.add(Arguments.of(t[0], target, CompareResult.LESS, t[2], false));
      cases.add(Arguments.of(t[0], target, CompareResult.LESS, t[3], true));
      cases.add(Arguments.of(t[0], target, CompareResult.NOT_EQUAL, t[1], true));
      cases.add(Arguments.of(t[0], target, CompareResult.NOT_EQUAL, t[2], false));
      cases.add(Arguments.of(t[0], target, CompareResult.NOT_EQUAL, t[3], true));
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} {2} {3} -> {4}")
  @MethodSource("everyTargetAndResult")
  void everyTargetUnderEveryResult(String name, int target, CompareResult result, String operand, boolean expected) {
    assertThat(holds(compare("k", target, result, operand))).isEqualTo(expected);
  }

  @Test
  void missingKeyComparesAsZeros() {
    assertThat(holds(compare("missing", CompareTarget.VERSION_VALUE, CompareResult.EQUAL, "0"))).isTrue();
    assertThat(holds(compare("missing", CompareTarget.CREATE_VALUE, CompareResult.EQUAL, "0"))).isTrue();
    assertThat(holds(compare("missing", CompareTarget.MOD_VALUE, CompareResult.LESS, "5"))).isTrue();
    assertThat(holds(compare("missing", LEASE, CompareResult.EQUAL, "0"))).isTrue();
    assertThat(holds(compare("missing", CompareTarget.VERSION_VALUE, CompareResult.GREATER, "0"))).isFalse();
  }

  @Test
  void valueCompareOnMissingKeyAlwaysFails() {
    assertThat(holds(compare("missing", CompareTarget.VALUE_VALUE, CompareResult.EQUAL, ""))).isFalse();
    assertThat(holds(compare("missing", CompareTarget.VALUE_VALUE, CompareResult.NOT_EQUAL, "x"))).isFalse();
    assertThat(holds(compare("missing", CompareTarget.VALUE_VALUE, CompareResult.LESS, "x"))).isFalse();
  }

  @Test
  void deletedKeyComparesAsMissing() {
    MvccStore.Write write = store.beginWrite();
    write.delete(io.berth.store.mvcc.KeyRange.single(b("k")));
    write.commit();

    assertThat(holds(compare("k", CompareTarget.VERSION_VALUE, CompareResult.EQUAL, "0"))).isTrue();
    assertThat(holds(compare("k", CompareTarget.VALUE_VALUE, CompareResult.EQUAL, ""))).isFalse();
  }

  @Test
  void rangeCompareHoldsOnlyIfEveryKeyInRangeSatisfiesIt() {
    put("r/1", "x", 0); // version 1
    put("r/2", "x", 0);
    put("r/2", "y", 0); // version 2
    Compare.Builder versionOverRange = compare("r/", CompareTarget.VERSION_VALUE, CompareResult.GREATER, "0")
        .toBuilder().setRangeEnd(b("r0"));

    assertThat(holds(versionOverRange.build())).isTrue();
    assertThat(holds(versionOverRange.setResult(CompareResult.EQUAL).setVersion(1).build())).isFalse();
    assertThat(holds(versionOverRange.setResult(CompareResult.LESS).setVersion(3).build())).isTrue();
  }

  @Test
  void rangeCompareOverNoKeysComparesAsZeros() {
    Compare noKeys = compare("s/", CompareTarget.CREATE_VALUE, CompareResult.EQUAL, "0")
        .toBuilder().setRangeEnd(b("s0")).build();

    assertThat(holds(noKeys)).isTrue();
  }

  @Test
  void everyCompareMustHold() {
    Compare yes = compare("k", CompareTarget.VERSION_VALUE, CompareResult.EQUAL, "2");
    Compare no = compare("k", CompareTarget.VALUE_VALUE, CompareResult.EQUAL, "nope");

    assertThat(Compares.allHold(List.of(), reader)).isTrue();
    assertThat(Compares.allHold(List.of(yes, yes), reader)).isTrue();
    assertThat(Compares.allHold(List.of(yes, no), reader)).isFalse();
  }

  @Test
  void leaseCompareSurvivesTheLog() throws Exception {
    Compare sent = compare("k", LEASE, CompareResult.EQUAL, "7");

    Compare received = Compare.parseFrom(sent.toByteArray());

    assertThat(received.getTargetValue()).isEqualTo(LEASE);
    assertThat(EtcdExtensions.compareLease(received)).isEqualTo(7);
    assertThat(holds(received)).isTrue();
  }

  @Test
  void leaseCompareWithoutOperandComparesWithZero() {
    Compare noOperand = Compare.newBuilder().setKey(b("k")).setTargetValue(LEASE)
        .setResult(CompareResult.GREATER).build();

    assertThat(EtcdExtensions.compareLease(noOperand)).isZero();
    assertThat(holds(noOperand)).isTrue();
  }

  @Test
  void unknownTargetIsAnInvalidArgumentNotACrash() {
    Compare unknown = Compare.newBuilder().setKey(b("k")).setTargetValue(9).build();

    assertThatThrownBy(() -> holds(unknown))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void unknownResultIsAnInvalidArgumentNotACrash() {
    Compare unknown = Compare.newBuilder().setKey(b("k")).setResultValue(9).build();

    assertThatThrownBy(() -> holds(unknown))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
