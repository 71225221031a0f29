package io.berth.apiserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch response read line by line as it arrives, as a client does: each event
 * is parsed and queued; {@link #next} waits for one. The stream's end is queued too,
 * as an event of type "END".
 */
public final class WatchStream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final InputStream body;
  private final int status;

  private WatchStream(HttpResponse<InputStream> response) {
    this.body = response.body();
    this.status = response.statusCode();
    Thread.ofPlatform().daemon().name("watch-reader").start(this::read);
  }

  /** Opens {@code url} (which must carry watch=true). */
  public static WatchStream open(String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    return new WatchStream(CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream()));
  }

  public int status() {
    return status;
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank()) {
          events.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      // the connection died: the end of the stream, as for a client
    }
    events.add(JSON.createObjectNode().put("type", "END"));
  }

  /** The next event, or null if none arrives within {@code timeout}. */
  public JsonNode next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
