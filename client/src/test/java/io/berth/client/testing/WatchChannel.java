package io.berth.client.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.transport.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * One open watch response of the fake server, driven by the test: events go out as
 * kube-apiserver sends them (one JSON object and a newline per chunk, flushed at once).
 */
public final class WatchChannel {
  private final RecordedRequest request;
  private final Socket socket;
  private final OutputStream out;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean keepConnection;

  WatchChannel(RecordedRequest request, Socket socket, OutputStream out) {
    this.request = request;
    this.socket = socket;
    this.out = out;
  }

  public RecordedRequest request() {
    return request;
  }

  /** Sends {"type": type, "object": object}. */
  public WatchChannel send(String type, Object object) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("type", type);
    event.set("object", Json.MAPPER.valueToTree(object));
    return sendLine(event.toString());
  }

  public WatchChannel sendLine(String json) {
    chunk((json + "\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Ends the response cleanly (the terminating chunk), as the server does when timeoutSeconds pass. */
  public void end() {
    chunk(new byte[0]);
    keepConnection = true;
    finished.countDown();
  }

  /** Breaks the connection with a reset, as a crashed server's kernel does. */
  public void drop() {
    FakeApiServer.reset(socket);
    finished.countDown();
  }

  void awaitFinished() throws InterruptedException {
    finished.await();
  }

  boolean keepConnection() {
    return keepConnection;
  }

  private void chunk(byte[] data) {
    try {
      out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
