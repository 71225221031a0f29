package io.berth.election;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void prefixEndIncrementsTheLastByte() {
    assertThat(Keys.prefixEnd(ByteString.copyFromUtf8("/berth/elections/x/")).toStringUtf8())
        .isEqualTo("/berth/elections/x0");
  }

  @Test
  void prefixEndDropsTrailingFfBytes() {
    assertThat(Keys.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff})))
        .isEqualTo(ByteString.copyFromUtf8("b"));
  }
}
