package io.berth.bench;

import java.util.ArrayList;
import java.util.List;

/** The rows of the API-versus-store table: throughput, p50 and p99 per operation and client count. */
final class ApiMetrics {
  private ApiMetrics() {
  }

  static String id(ApiWorkloads.Operation op, int clients) {
    return op.id + ".c" + clients;
  }

  static String label(ApiWorkloads.Operation op, int clients, int listed) {
    String what = op == ApiWorkloads.Operation.LIST
        ? "list (" + String.format(java.util.Locale.ROOT, "%,d", listed) + " objects)" : op.id;
    return what + ", " + clients + (clients == 1 ? " client" : " clients");
  }

  /** @param listed how many objects the list rows return */
  static List<Metric> all(int listed) {
    List<Metric> rows = new ArrayList<>();
    for (ApiWorkloads.Operation op : ApiWorkloads.Operation.values()) {
      for (int clients : ApiWorkloads.CLIENTS) {
        String id = id(op, clients);
        String label = label(op, clients, listed);
        rows.add(Metric.throughput(id + ".ops", label));
        rows.add(Metric.latency(id + ".p50", label + ", p50"));
        rows.add(Metric.latency(id + ".p99", label + ", p99"));
      }
    }
    return rows;
  }
}
