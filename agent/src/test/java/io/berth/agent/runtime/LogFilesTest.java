package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
  @TempDir Path dir;

  private String send(String content, LogOptions options) throws Exception {
    Path file = dir.resolve("log");
    Files.writeString(file, content);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogFiles.send(file, options, out, () -> false);
    return out.toString();
  }

  @Test
  void tailLinesSendsOnlyTheLastLines() throws Exception {
    assertThat(send("a\nb\nc\n", new LogOptions(false, 2, 0, false, 0))).isEqualTo("b\nc\n");
    assertThat(send("a\nb\nc", new LogOptions(false, 1, 0, false, 0))).isEqualTo("c");
    assertThat(send("a\nb\n", new LogOptions(false, 5, 0, false, 0))).isEqualTo("a\nb\n");
    assertThat(send("a\nb\n", new LogOptions(false, 0, 0, false, 0))).isEmpty();
  }

  @Test
  void limitBytesCutsTheAnswer() throws Exception {
    assertThat(send("hello world\n", new LogOptions(false, -1, 0, false, 5))).isEqualTo("hello");
  }

  @Test
  void followSendsWhatIsAppendedWhileTheWriterRuns() throws Exception {
    Path file = dir.resolve("log");
    Files.writeString(file, "first\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long stopAt = System.nanoTime() + 400_000_000L;
    Thread writer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(150);
        Files.writeString(file, "second\n", java.nio.file.StandardOpenOption.APPEND);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    LogFiles.send(file, new LogOptions(true, -1, 0, false, 0), out, () -> System.nanoTime() < stopAt);
    writer.join();
    assertThat(out.toString()).isEqualTo("first\nsecond\n");
  }
}
