package io.berth.client.watch;

import io.berth.client.transport.Exchange;
import io.berth.client.transport.Transport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An open watch: events read one line at a time as the server sends them (newline
 * delimited JSON over a chunked response), never buffering the whole body.
 *
 * <p>{@link #next()} blocks for the next event. It returns null when the server ended
 * the stream cleanly (its timeoutSeconds passed), or when {@link #close()} was called.
 * It throws {@link UncheckedIOException} when the stream broke (a reset, a server that
 * died mid-stream, a stream silent past its deadline); the endpoint is then reported as
 * failed, so the next watch goes to another one. Resuming is the caller's job: watch
 * again from the last resourceVersion seen.
 *
 * <p>The deadline: the server is asked to end the stream after its timeout; if it is
 * still open {@code stallGrace} later, the endpoint is taken to be unreachable (a
 * partition sends no reset) and the stream is broken off.
 *
 * <p>One thread reads; {@link #close()} may be called from any thread.
 */
public final class WatchStream<T extends HasMetadata> implements AutoCloseable {
  private final Exchange exchange;
  private final BufferedReader lines;
  private final Class<T> type;
  private final Transport transport;
  private final ScheduledFuture<?> deadline;
  private volatile boolean closed;
  private volatile boolean stalled;

  public WatchStream(Exchange exchange, Class<T> type, Transport transport, ScheduledExecutorService timers,
      Duration lifetime) {
    this.exchange = exchange;
    this.lines = new BufferedReader(new InputStreamReader(exchange.body(), StandardCharsets.UTF_8));
    this.type = type;
    this.transport = transport;
    this.deadline = timers.schedule(this::breakOff, lifetime.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The next event, or null once the stream has ended cleanly or been closed. */
  public WatchEvent<T> next() {
    String line;
    try {
      do {
        line = lines.readLine();
      } while (line != null && line.isBlank());
      if (line != null) {
        return WatchEvent.decode(line, type);
      }
    } catch (IOException e) {
      if (closed) {
        return null;
      }
      broken(e);
    }
    if (stalled) {
      broken(new IOException("watch stream stalled past its deadline"));
    }
    deadline.cancel(false);
    return null;
  }

  /** Ends the stream and frees its connection; a blocked {@link #next()} returns null. */
  @Override
  public void close() {
    closed = true;
    deadline.cancel(false);
    // Closes the HTTP body, not the reader: BufferedReader.close waits for the lock a
    // blocked readLine holds, while closing the body wakes that readLine up.
    exchange.close();
  }

  private void breakOff() {
    stalled = true;
    exchange.close();
  }

  private void broken(IOException cause) {
    deadline.cancel(false);
    exchange.close();
    IOException reported = stalled ? new IOException("watch stream from " + exchange.endpoint()
        + " stalled past its deadline", cause) : cause;
    transport.reportBroken(exchange.endpoint(), reported);
    throw new UncheckedIOException("watch stream from " + exchange.endpoint() + " broke: " + reported.getMessage(),
        reported);
  }
}
