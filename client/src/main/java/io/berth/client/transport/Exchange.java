package io.berth.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;

/**
 * An answer from one endpoint: status, headers and a body that may still be arriving
 * (a watch). Closing it closes the body and so frees (or ends) the connection.
 *
 * @param endpoint the base URL that answered
 */
public record Exchange(URI endpoint, int status, HttpHeaders headers, InputStream body) implements AutoCloseable {

  public boolean successful() {
    return status >= 200 && status < 300;
  }

  /** The whole body; blocks until it has arrived, then closes it. */
  public byte[] readBody() {
    try (InputStream in = body) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the answer of " + endpoint + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // Closing only releases the connection; there is nothing left to save.
    }
  }
}
