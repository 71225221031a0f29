package io.berth.agent.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Sends a plain log file (a process's output) as {@link LogOptions} ask: the last lines, at
 * most so many bytes, and, with follow, what is appended until the writer has stopped.
 * A plain file keeps no per-line times, so sinceSeconds and timestamps are not applied here.
 */
public final class LogFiles {
  private static final Duration FOLLOW_POLL = Duration.ofMillis(100);

  private LogFiles() {}

  /** @param writing whether something may still append to the file (with follow, sending ends once it is false) */
  public static void send(Path file, LogOptions options, OutputStream out, BooleanSupplier writing)
      throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    long budget = options.limitBytes() > 0 ? options.limitBytes() : Long.MAX_VALUE;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long position = options.tailLines() >= 0 ? startOfLastLines(in, options.tailLines()) : 0;
      while (true) {
        boolean mayGrow = options.follow() && writing.getAsBoolean();
        long length = in.length();
        while (position < length && budget > 0) {
          byte[] chunk = new byte[(int) Math.min(Math.min(64 * 1024, length - position), budget)];
          in.seek(position);
          in.readFully(chunk);
          out.write(chunk);
          position += chunk.length;
          budget -= chunk.length;
        }
        out.flush();
        if (!mayGrow || budget <= 0) {
          return;
        }
        try {
          Thread.sleep(FOLLOW_POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The offset where the last {@code lines} lines begin (a last line without newline counts). */
  static long startOfLastLines(RandomAccessFile in, int lines) throws IOException {
    long length = in.length();
    if (lines == 0) {
      return length;
    }
    long position = length;
    int newlines = 0;
    // A newline ending the file closes the last line rather than starting another.
    if (length > 0) {
      in.seek(length - 1);
      if (in.read() == '\n') {
        position = length - 1;
      }
    }
    byte[] buffer = new byte[8192];
    while (position > 0) {
      int n = (int) Math.min(buffer.length, position);
      in.seek(position - n);
      in.readFully(buffer, 0, n);
      for (int i = n - 1; i >= 0; i--) {
        if (buffer[i] == '\n' && ++newlines == lines) {
          return position - n + i + 1;
        }
      }
      position -= n;
    }
    return 0;
  }
}
