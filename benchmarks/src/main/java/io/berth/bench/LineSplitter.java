package io.berth.bench;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a watch response's body into its lines (one JSON event each), whatever way the
 * bytes were split into chunks on the wire: a line may span several chunks, and a
 * chunk may hold several lines. Not thread-safe: one per stream, fed on its event loop.
 */
final class LineSplitter {
  private byte[] partial = new byte[0];

  /** Feeds {@code length} bytes of {@code chunk} from {@code offset}; calls {@code line} for each complete line, without its newline. */
  void feed(byte[] chunk, int offset, int length, Consumer<byte[]> line) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (chunk[i] != '\n') {
        continue;
      }
      byte[] complete = new byte[partial.length + i - start];
      System.arraycopy(partial, 0, complete, 0, partial.length);
      System.arraycopy(chunk, start, complete, partial.length, i - start);
      partial = new byte[0];
      line.accept(complete);
      start = i + 1;
    }
    if (start < end) {
      byte[] rest = Arrays.copyOf(partial, partial.length + end - start);
      System.arraycopy(chunk, start, rest, partial.length, end - start);
      partial = rest;
    }
  }

  /** Bytes held back waiting for the end of their line. */
  int pending() {
    return partial.length;
  }

  /** Whether {@code needle} occurs in {@code haystack}: how a watcher spots the round's event. */
  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
