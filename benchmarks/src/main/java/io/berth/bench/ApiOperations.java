package io.berth.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The rows' operations through the Kubernetes API, as a client such as kubectl or
 * client-go sends them: POST, GET, a list without resourceVersion (a consistent list)
 * and PUT with the resourceVersion of the client's last write. Client {@code i} uses
 * its own connection; a reply with an unexpected status counts as a failed call.
 */
final class ApiOperations implements OperationSet {
  private final ApiClients clients;
  private final BenchNamespaces ns;
  private final int objects;
  /** Per client: the resourceVersion its object was last written at; 0 sends the next update unconditionally. */
  private final long[] updateVersions;

  ApiOperations(ApiClients clients, BenchNamespaces ns, int objects, long[] updateVersions) {
    this.clients = clients;
    this.ns = ns;
    this.objects = objects;
    this.updateVersions = updateVersions;
  }

  @Override
  public String name() {
    return "api";
  }

  @Override
  public ClosedLoop.AsyncOp create(String row) {
    String path = ConfigMaps.collection(ns.write());
    return (client, seq, done) -> call(client, HttpMethod.POST, path,
        ConfigMaps.body(row + "-" + client + "-" + seq), 201, done);
  }

  @Override
  public ClosedLoop.AsyncOp get() {
    return (client, seq, done) -> call(client, HttpMethod.GET,
        ConfigMaps.object(ns.read(), BenchNamespaces.readName(ThreadLocalRandom.current().nextInt(objects))), null,
        200, done);
  }

  @Override
  public ClosedLoop.AsyncOp list() {
    String path = ConfigMaps.collection(ns.read());
    return (client, seq, done) -> call(client, HttpMethod.GET, path, null, 200, done);
  }

  @Override
  public ClosedLoop.AsyncOp update() {
    return (client, seq, done) -> {
      String name = BenchNamespaces.updateName(client);
      byte[] body = ConfigMaps.body(name, updateVersions[client], ConfigMaps.payload(seq));
      clients.connection(client).send(HttpMethod.PUT, ConfigMaps.object(ns.write(), name), body)
          .whenComplete((reply, error) -> {
            if (error == null && reply.status() == 200) {
              updateVersions[client] = ConfigMaps.resourceVersion(reply.text());
              done.accept(null);
            } else {
              updateVersions[client] = 0;
              done.accept(error != null ? error : unexpected(reply));
            }
          });
    };
  }

  private void call(int client, HttpMethod method, String path, byte[] body, int expected, Consumer<Throwable> done) {
    CompletableFuture<HttpConnection.Reply> reply = clients.connection(client).send(method, path, body);
    reply.whenComplete((r, error) -> done.accept(error != null ? error : r.status() == expected ? null : unexpected(r)));
  }

  static IllegalStateException unexpected(HttpConnection.Reply reply) {
    String text = new String(reply.body(), 0, Math.min(200, reply.body().length), StandardCharsets.UTF_8);
    return new IllegalStateException("HTTP " + reply.status() + ": " + text);
  }
}
