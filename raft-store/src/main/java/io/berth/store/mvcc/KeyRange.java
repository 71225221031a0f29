package io.berth.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.Comparator;
import java.util.NavigableMap;

/**
 * The keys a request names, with etcd's conventions for {@code range_end}:
 * <ul>
 *   <li>empty: the single key {@code key};</li>
 *   <li>{@code "\0"}: every key greater than or equal to {@code key};</li>
 *   <li>otherwise: the half-open interval [key, range_end).</li>
 * </ul>
 * A key of {@code "\0"} with range_end {@code "\0"} therefore means every key.
 */
public record KeyRange(ByteString key, ByteString end) {
  public static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();
  private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

  public static KeyRange of(ByteString key, ByteString rangeEnd) {
    return new KeyRange(key, rangeEnd);
  }

  public static KeyRange single(ByteString key) {
    return new KeyRange(key, ByteString.EMPTY);
  }

  public boolean isSingleKey() {
    return end.isEmpty();
  }

  public boolean isOpenEnded() {
    return end.equals(ZERO);
  }

  public boolean contains(ByteString candidate) {
    if (isSingleKey()) {
      return key.equals(candidate);
    }
    if (ORDER.compare(candidate, key) < 0) {
      return false;
    }
    return isOpenEnded() || ORDER.compare(candidate, end) < 0;
  }

  /** Whether this range and {@code other} share at least one key. */
  public boolean overlaps(KeyRange other) {
    if (isSingleKey()) {
      return other.contains(key);
    }
    if (other.isSingleKey()) {
      return contains(other.key);
    }
    if (isEmptyInterval() || other.isEmptyInterval()) {
      return false; // the start/end test below would let an inverted range overlap a wide one
    }
    boolean otherStartsBeforeMyEnd = isOpenEnded() || ORDER.compare(other.key, end) < 0;
    boolean myStartBeforeOtherEnd = other.isOpenEnded() || ORDER.compare(key, other.end) < 0;
    return otherStartsBeforeMyEnd && myStartBeforeOtherEnd;
  }

  /** [key, end) with end at or before key holds no key. */
  private boolean isEmptyInterval() {
    return !isSingleKey() && !isOpenEnded() && ORDER.compare(key, end) >= 0;
  }

  /** The entries of a key-ordered map that fall in this range. */
  public <V> NavigableMap<ByteString, V> slice(NavigableMap<ByteString, V> map) {
    if (isSingleKey()) {
      return map.subMap(key, true, key, true);
    }
    if (isOpenEnded()) {
      return map.tailMap(key, true);
    }
    if (ORDER.compare(key, end) >= 0) {
      return map.subMap(key, true, key, false);
    }
    return map.subMap(key, true, end, false);
  }
}
