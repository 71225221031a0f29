package io.berth.bench;

import java.util.List;

/**
 * One row of the comparison table: what was measured, its unit, and which direction is better.
 * The ids are the keys of a {@link Results} file.
 */
record Metric(String id, String label, String unit, boolean higherIsBetter) {

  static Metric throughput(String id, String label) {
    return new Metric(id, label, "ops/s", true);
  }

  static Metric latency(String id, String label) {
    return new Metric(id, label, "ms", false);
  }

  /** Every row of the table, in order. {@link Workloads} produces exactly these ids. */
  static List<Metric> all() {
    return List.of(
        throughput("put.c1.ops", "put, 1 client"),
        latency("put.c1.p50", "put, 1 client, p50"),
        latency("put.c1.p99", "put, 1 client, p99"),
        throughput("put.c16.ops", "put, 16 clients"),
        latency("put.c16.p50", "put, 16 clients, p50"),
        latency("put.c16.p99", "put, 16 clients, p99"),
        throughput("put.c256.ops", "put, 256 clients"),
        latency("put.c256.p50", "put, 256 clients, p50"),
        latency("put.c256.p99", "put, 256 clients, p99"),
        throughput("get.linearizable.ops", "linearizable get, " + Workloads.READ_CLIENTS + " clients"),
        latency("get.linearizable.p99", "linearizable get, " + Workloads.READ_CLIENTS + " clients, p99"),
        throughput("get.serializable.ops", "serializable get, " + Workloads.READ_CLIENTS + " clients"),
        latency("get.serializable.p99", "serializable get, " + Workloads.READ_CLIENTS + " clients, p99"),
        latency("watch.p50", "watch delivery, put sent to event received, p50"),
        latency("watch.p99", "watch delivery, put sent to event received, p99"));
  }
}
