package io.berth.election;

import com.google.protobuf.ByteString;

/** Byte arithmetic on store keys. */
final class Keys {
  private Keys() {}

  /** The range end that covers every key starting with {@code prefix} (etcd's rule: increment the last byte below 0xff). */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }
}
