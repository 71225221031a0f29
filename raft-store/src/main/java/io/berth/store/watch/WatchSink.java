package io.berth.store.watch;

import io.etcd.jetcd.api.WatchResponse;

/**
 * Where a watch stream's responses go. Called while the store's lock is held,
 * so it must only enqueue, never block or write to the network.
 */
public interface WatchSink {
  /** Queues a response; the sink fills in the header, with {@code revision} as its revision. */
  void send(WatchResponse.Builder response, long revision);
}
