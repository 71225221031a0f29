package io.berth.store.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class LeaseTableTest {
  private final LeaseTable table = new LeaseTable();

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void grantedLeaseStartsWithNoKeys() {
    table.grant(7, 10);

    assertThat(table.exists(7)).isTrue();
    assertThat(table.get(7).ttlSeconds()).isEqualTo(10);
    assertThat(table.get(7).keys()).isEmpty();
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void attachedKeysAreKeptInKeyOrder() {
    table.grant(7, 10);

    table.attach(7, b("b"));
    table.attach(7, b("a"));
    table.attach(7, b("a"));

    assertThat(table.get(7).keys()).containsExactly(b("a"), b("b"));
  }

  @Test
  void detachRemovesOnlyThatKey() {
    table.grant(7, 10);
    table.attach(7, b("a"));
    table.attach(7, b("b"));

    table.detach(7, b("a"));

    assertThat(table.get(7).keys()).containsExactly(b("b"));
  }

  @Test
  void attachAndDetachOfUnknownLeaseDoNothing() {
    table.attach(7, b("a"));
    table.detach(7, b("a"));

    assertThat(table.exists(7)).isFalse();
    assertThat(table.size()).isZero();
  }

  @Test
  void removeReturnsTheAttachedKeys() {
    table.grant(7, 10);
    table.attach(7, b("a"));

    assertThat(table.remove(7)).containsExactly(b("a"));
    assertThat(table.exists(7)).isFalse();
    assertThat(table.remove(7)).isEmpty();
  }

  @Test
  void allListsLeasesInIdOrder() {
    table.grant(9, 1);
    table.grant(3, 1);

    assertThat(table.all()).extracting(LeaseTable.Lease::id).containsExactly(3L, 9L);
  }
}
