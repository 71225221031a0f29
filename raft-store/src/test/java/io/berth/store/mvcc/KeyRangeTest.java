package io.berth.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeyRangeTest {
  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static ByteString bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return ByteString.copyFrom(out);
  }

  private static KeyRange range(String key, String end) {
    return KeyRange.of(b(key), b(end));
  }

  private static NavigableMap<ByteString, String> map(String... keys) {
    NavigableMap<ByteString, String> map = new TreeMap<>(KeyRange.ORDER);
    for (String key : keys) {
      map.put(b(key), key);
    }
    return map;
  }

  @Test
  void emptyRangeEndNamesOneKey() {
    KeyRange single = KeyRange.single(b("foo"));

    assertThat(single.isSingleKey()).isTrue();
    assertThat(single.contains(b("foo"))).isTrue();
    assertThat(single.contains(b("foo0"))).isFalse();
    assertThat(single.contains(b("fo"))).isFalse();
    assertThat(single.slice(map("fo", "foo", "foo0")).values()).containsExactly("foo");
  }

  @Test
  void rangeEndIsExclusive() {
    KeyRange r = range("b", "d");

    assertThat(r.contains(b("a"))).isFalse();
    assertThat(r.contains(b("b"))).isTrue();
    assertThat(r.contains(b("c\u00ff"))).isTrue();
    assertThat(r.contains(b("d"))).isFalse();
    assertThat(r.slice(map("a", "b", "c", "d", "e")).values()).containsExactly("b", "c");
  }

  @Test
  void prefixRangeEndsAtLastBytePlusOne() {
    KeyRange prefix = range("/registry/pods/", "/registry/pods0"); // '/' + 1 == '0'

    assertThat(prefix.contains(b("/registry/pods/default/x"))).isTrue();
    assertThat(prefix.contains(b("/registry/pods"))).isFalse();
    assertThat(prefix.contains(b("/registry/podsx"))).isFalse();
    assertThat(prefix.slice(map("/registry/pods", "/registry/pods/a", "/registry/pods/b", "/registry/pods0")).values())
        .containsExactly("/registry/pods/a", "/registry/pods/b");
  }

  @Test
  void keysCompareAsUnsignedBytes() {
    KeyRange r = KeyRange.of(bytes(0x7f), bytes(0x81));

    assertThat(r.contains(bytes(0x80))).isTrue();
    assertThat(r.contains(bytes(0xff))).isFalse();
  }

  @Test
  void zeroRangeEndMeansEveryKeyFromKeyOn() {
    KeyRange open = KeyRange.of(b("m"), bytes(0));

    assertThat(open.isOpenEnded()).isTrue();
    assertThat(open.contains(b("l"))).isFalse();
    assertThat(open.contains(b("m"))).isTrue();
    assertThat(open.contains(bytes(0xff, 0xff))).isTrue();
    assertThat(open.slice(map("a", "m", "z")).values()).containsExactly("m", "z");
  }

  @Test
  void zeroKeyWithZeroRangeEndMeansEveryKey() {
    KeyRange all = KeyRange.of(bytes(0), bytes(0));

    assertThat(all.contains(bytes(0))).isTrue();
    assertThat(all.contains(b("a"))).isTrue();
    assertThat(all.contains(bytes(0xff))).isTrue();
    assertThat(all.slice(map("a", "m", "z")).values()).containsExactly("a", "m", "z");
  }

  @Test
  void rangeWhoseEndIsNotAfterItsKeyIsEmpty() {
    KeyRange inverted = range("d", "b");

    assertThat(inverted.contains(b("c"))).isFalse();
    assertThat(inverted.contains(b("d"))).isFalse();
    assertThat(inverted.slice(map("a", "c", "d", "e"))).isEmpty();
    assertThat(range("d", "d").slice(map("d"))).isEmpty();
  }

  @Test
  void overlapsOfSingleKeys() {
    assertThat(KeyRange.single(b("a")).overlaps(KeyRange.single(b("a")))).isTrue();
    assertThat(KeyRange.single(b("a")).overlaps(KeyRange.single(b("b")))).isFalse();
    assertThat(KeyRange.single(b("b")).overlaps(range("a", "c"))).isTrue();
    assertThat(range("a", "c").overlaps(KeyRange.single(b("b")))).isTrue();
    assertThat(range("a", "c").overlaps(KeyRange.single(b("c")))).isFalse();
  }

  @Test
  void overlapsOfIntervals() {
    assertThat(range("a", "c").overlaps(range("b", "d"))).isTrue();
    assertThat(range("b", "d").overlaps(range("a", "c"))).isTrue();
    assertThat(range("a", "z").overlaps(range("c", "d"))).isTrue();
    assertThat(range("a", "b").overlaps(range("b", "c"))).isFalse();
    assertThat(range("b", "c").overlaps(range("a", "b"))).isFalse();
  }

  @Test
  void overlapsOfOpenEndedRanges() {
    KeyRange fromM = KeyRange.of(b("m"), bytes(0));

    assertThat(fromM.overlaps(range("a", "n"))).isTrue();
    assertThat(fromM.overlaps(range("a", "m"))).isFalse();
    assertThat(range("a", "m").overlaps(fromM)).isFalse();
    assertThat(fromM.overlaps(KeyRange.of(b("z"), bytes(0)))).isTrue();
    assertThat(fromM.overlaps(KeyRange.single(b("zz")))).isTrue();
  }

  @Test
  void anEmptyRangeOverlapsNothing() {
    KeyRange inverted = range("d", "b");

    assertThat(inverted.overlaps(range("a", "z"))).isFalse();
    assertThat(range("a", "z").overlaps(inverted)).isFalse();
    assertThat(inverted.overlaps(KeyRange.of(bytes(0), bytes(0)))).isFalse();
  }
}
