package io.berth.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Creates what the API rows need before they run, through the API: the run's
 * namespaces, the preloaded objects the get and list rows read, and one object per
 * client for the update rows (whose resourceVersions it returns).
 */
final class ApiSetup {
  /** Calls in flight while preloading: enough to be quick, few enough to stay out of the way. */
  static final int PARALLEL = 16;

  private final ApiClients clients;
  private final BenchNamespaces ns;

  ApiSetup(ApiClients clients, BenchNamespaces ns) {
    this.clients = clients;
    this.ns = ns;
  }

  /** @return per client, the resourceVersion of its update object */
  long[] run(int objects, int updateClients) throws Exception {
    clients.ensureConnections(PARALLEL);
    for (String namespace : new String[] {ns.read(), ns.write(), ns.watch()}) {
      expect(clients.connection(0).send(HttpMethod.POST, "/api/v1/namespaces", ConfigMaps.namespace(namespace))
          .get(10, TimeUnit.SECONDS), 201);
    }
    concurrently(objects, i -> ConfigMaps.collection(ns.read()),
        i -> ConfigMaps.body(BenchNamespaces.readName(i)), null);
    long[] versions = new long[updateClients];
    concurrently(updateClients, i -> ConfigMaps.collection(ns.write()),
        i -> ConfigMaps.body(BenchNamespaces.updateName(i)), versions);
    return versions;
  }

  /**
   * POSTs {@code count} objects, at most {@link #PARALLEL} at a time (one per connection),
   * each expected to answer 201; records each reply's resourceVersion in {@code versions} if given.
   */
  private void concurrently(int count, IntFunction<String> path,
      IntFunction<byte[]> body, long[] versions) throws Exception {
    BlockingQueue<HttpConnection> idle = new ArrayBlockingQueue<>(PARALLEL);
    for (int c = 0; c < PARALLEL; c++) {
      idle.add(clients.connection(c));
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < count && failure.get() == null; i++) {
      HttpConnection connection = idle.poll(30, TimeUnit.SECONDS);
      if (connection == null) {
        throw new IllegalStateException("setup calls got no reply within 30 s");
      }
      int index = i;
      CompletableFuture<HttpConnection.Reply> reply = connection.send(HttpMethod.POST, path.apply(i), body.apply(i));
      reply.whenComplete((r, error) -> {
        if (error != null || r.status() != 201) {
          failure.compareAndSet(null, error != null ? error : ApiOperations.unexpected(r));
        } else if (versions != null) {
          versions[index] = ConfigMaps.resourceVersion(r.text());
        }
        idle.add(connection);
      });
    }
    for (int c = 0; c < PARALLEL; c++) {
      if (idle.poll(30, TimeUnit.SECONDS) == null) {
        throw new IllegalStateException("setup calls got no reply within 30 s");
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("setup failed: " + failure.get(), failure.get());
    }
  }

  static HttpConnection.Reply expect(HttpConnection.Reply reply, int status) {
    if (reply.status() != status) {
      throw ApiOperations.unexpected(reply);
    }
    return reply;
  }
}
