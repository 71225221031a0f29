package io.berth.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The rows of the API benchmark: create, get, list and update at 1, 16 and 256 clients,
 * each measured through the Kubernetes API and then, right after, straight on the store
 * beneath it ({@link OperationSet}), so both columns of a row see the same cluster in the
 * same state. Before the first row, unrecorded load on both sides warms the JVMs.
 */
final class ApiWorkloads {
  static final int[] CLIENTS = {1, 16, 256};
  static final int WARMUP_CLIENTS = 16;

  /** One operation as a row of the table. */
  enum Operation {
    CREATE("create"), GET("get"), LIST("list"), UPDATE("update");

    final String id;

    Operation(String id) {
      this.id = id;
    }

    ClosedLoop.AsyncOp on(OperationSet side, int clients) {
      return switch (this) {
        case CREATE -> side.create("c" + clients);
        case GET -> side.get();
        case LIST -> side.list();
        case UPDATE -> side.update();
      };
    }
  }

  private final List<OperationSet> sides;
  private final int listed;
  private final Duration warmup;
  private final Duration measure;
  private final PrintStream log;

  /** @param listed how many objects the list rows return (for the labels) */
  ApiWorkloads(List<OperationSet> sides, int listed, Duration warmup, Duration measure, PrintStream log) {
    this.sides = sides;
    this.listed = listed;
    this.warmup = warmup;
    this.measure = measure;
    this.log = log;
  }

  /** Creates, gets and updates at {@link #WARMUP_CLIENTS} clients on each side, for {@code length} in all. */
  void warmUp(Duration length) throws InterruptedException {
    if (length.isZero()) {
      return;
    }
    Duration each = length.dividedBy((long) sides.size() * 3);
    for (OperationSet side : sides) {
      ClosedLoop.run(WARMUP_CLIENTS, each, Duration.ZERO, side.create("warm"));
      ClosedLoop.run(WARMUP_CLIENTS, each, Duration.ZERO, side.get());
      ClosedLoop.run(WARMUP_CLIENTS, each, Duration.ZERO, side.update());
    }
    log.printf("warmed up for %.1f s%n", length.toMillis() / 1000.0);
  }

  /** Runs every row on every side; {@code results} holds one Results per side, in the same order. */
  void runAll(List<Results> results) throws InterruptedException {
    for (Operation op : Operation.values()) {
      for (int clients : CLIENTS) {
        for (int s = 0; s < sides.size(); s++) {
          OperationSet side = sides.get(s);
          ClosedLoop.Sample sample = ClosedLoop.run(clients, warmup, measure, op.on(side, clients));
          record(results.get(s), side.name(), ApiMetrics.id(op, clients), ApiMetrics.label(op, clients, listed), sample);
        }
      }
    }
  }

  private void record(Results results, String side, String id, String label, ClosedLoop.Sample s) {
    results.put(id + ".ops", s.opsPerSecond());
    results.put(id + ".p50", s.p50Millis());
    results.put(id + ".p99", s.p99Millis());
    log.printf("%-6s %-32s %8.0f ops/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n",
        side, label, s.opsPerSecond(), s.p50Millis(), s.p99Millis(), s.errors());
    if (s.latencyMicros().getTotalCount() == 0) {
      results.note(side + ": " + label + ": no call both started and finished within the measured interval");
    }
    if (s.errors() > 0) {
      results.note(side + ": " + label + ": " + s.errors() + " failed calls, first: " + s.firstError());
    }
  }
}
