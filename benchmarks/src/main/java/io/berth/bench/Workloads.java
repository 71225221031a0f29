package io.berth.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The rows of the benchmark, run in order against one {@link Target}: puts at 1, 16 and 256
 * clients; linearizable then serializable gets; watch delivery latency. Every key is new
 * (one per put) and lives under a prefix unique to this run, so runs never collide.
 */
final class Workloads {
  static final int[] PUT_CLIENTS = {1, 16, 256};
  static final int READ_CLIENTS = 64;
  static final int READ_KEYS = 1_000;
  static final int VALUE_BYTES = 256;
  static final long CALL_DEADLINE_SECONDS = 10;

  private final Target target;
  private final Duration warmup;
  private final Duration measure;
  private final PrintStream log;
  private final String prefix;
  private final ByteString value;

  Workloads(Target target, Duration warmup, Duration measure, PrintStream log) {
    this.target = target;
    this.warmup = warmup;
    this.measure = measure;
    this.log = log;
    this.prefix = "/bench/" + Long.toHexString(System.currentTimeMillis()) + "/";
    byte[] bytes = new byte[VALUE_BYTES];
    new Random(42).nextBytes(bytes);
    this.value = ByteString.copyFrom(bytes);
  }

  Results runAll(Duration targetWarmup) throws InterruptedException {
    Results results = new Results(target.name());
    results.note(target.placement());
    warmUp(targetWarmup);
    for (int clients : PUT_CLIENTS) {
      String keys = prefix + "put/c" + clients + "/";
      ClosedLoop.Sample s = ClosedLoop.run(clients, warmup, measure, (client, seq, done) ->
          kv(client).put(PutRequest.newBuilder()
              .setKey(bytes(keys + client + "/" + seq)).setValue(value).build(), Calls.completing(done)));
      record(results, "put.c" + clients, "put, " + clients + (clients == 1 ? " client" : " clients"), s, true);
    }
    preloadReadKeys();
    for (boolean serializable : new boolean[] {false, true}) {
      String kind = serializable ? "serializable" : "linearizable";
      ClosedLoop.Sample s = ClosedLoop.run(READ_CLIENTS, warmup, measure, (client, seq, done) ->
          kv(client).range(RangeRequest.newBuilder()
              .setKey(bytes(readKey(ThreadLocalRandom.current().nextInt(READ_KEYS))))
              .setSerializable(serializable).build(), Calls.completing(done)));
      record(results, "get." + kind, kind + " get, " + READ_CLIENTS + " clients", s, false);
    }
    WatchLatency.Sample w = new WatchLatency(target, prefix + "watch/", value.size()).run(warmup, measure);
    results.put("watch.p50", w.p50Millis());
    results.put("watch.p99", w.p99Millis());
    log.printf("%-8s %-40s %8d events  p50 %7.2f ms  p99 %7.2f ms%n", target.name(),
        "watch delivery (" + w.watchers() + " watchers, <=" + WatchLatency.PUTS_PER_SECOND + " puts/s)",
        w.delivered(), w.p50Millis(), w.p99Millis());
    if (w.failedPuts() > 0) {
      results.note(target.name() + ": watch: " + w.failedPuts() + " puts failed");
    }
    if (w.missing() > 0) {
      results.note(target.name() + ": watch: " + w.missing() + " events not delivered within "
          + WatchLatency.DELIVERY_LIMIT.toSeconds() + " s");
    }
    return results;
  }

  /**
   * Unrecorded puts and gets at 16 clients before the first row, so that no row pays for a
   * cold target (a JVM's JIT, first connections, first log segment) more than another.
   */
  private void warmUp(Duration length) throws InterruptedException {
    if (length.isZero()) {
      return;
    }
    String keys = prefix + "warmup/";
    ClosedLoop.run(16, length, Duration.ZERO, (client, seq, done) -> {
      ByteString key = bytes(keys + client + "/" + (seq / 2));
      if (seq % 2 == 0) {
        kv(client).put(PutRequest.newBuilder().setKey(key).setValue(value).build(), Calls.completing(done));
      } else {
        kv(client).range(RangeRequest.newBuilder().setKey(key).build(), Calls.completing(done));
      }
    });
    log.printf("%-8s warmed up for %.1f s%n", target.name(), length.toMillis() / 1000.0);
  }

  private void record(Results results, String id, String label, ClosedLoop.Sample s, boolean withP50) {
    results.put(id + ".ops", s.opsPerSecond());
    if (withP50) {
      results.put(id + ".p50", s.p50Millis());
    }
    results.put(id + ".p99", s.p99Millis());
    log.printf("%-8s %-40s %8.0f ops/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n",
        target.name(), label, s.opsPerSecond(), s.p50Millis(), s.p99Millis(), s.errors());
    if (s.latencyMicros().getTotalCount() == 0) {
      results.note(target.name() + ": " + label + ": no call both started and finished within the measured interval");
    }
    if (s.errors() > 0) {
      results.note(target.name() + ": " + label + ": " + s.errors() + " failed calls, first: " + s.firstError());
    }
  }

  /** Writes the keys the get rows read, one put at a time. */
  private void preloadReadKeys() {
    for (int i = 0; i < READ_KEYS; i++) {
      target.kvBlocking(i).put(PutRequest.newBuilder().setKey(bytes(readKey(i))).setValue(value).build());
    }
  }

  private String readKey(int i) {
    return prefix + "read/" + i;
  }

  private KVGrpc.KVStub kv(int client) {
    return target.kv(client).withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
