package io.berth.apiserver.rest;

/**
 * A response body written over time, one chunk after another (a watch): the HTTP
 * layer sends the response head, then hands the body a {@link ResponseStream}.
 */
public interface StreamingBody {
  /** Called once, after the head has been sent; chunks may be sent from any thread. */
  void start(ResponseStream stream);

  /** The channel a streaming body writes to. */
  interface ResponseStream {
    /**
     * Queues one chunk without blocking.
     *
     * @return false if the stream has ended, or the client has fallen so far behind
     *     that the stream must end
     */
    boolean send(byte[] chunk);

    /** Ends the response (once; later calls do nothing). */
    void end();

    /** Runs {@code action} once the stream is over, whether it was ended or the client went away. */
    void onClose(Runnable action);
  }
}
