package io.berth.apiserver.http;

import io.berth.apiserver.rest.ApiResponse;
import io.berth.store.server.StoreNode;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * What /livez, /readyz and /healthz answer, as kube-apiserver's do: "ok", or 500 with the
 * failed check listed. The check that matters is the store beneath this API server (kube's
 * "etcd" check): not ready while its replica cannot serve linearizable requests, so that a load
 * balancer probing /readyz sends clients to another replica; not live once Ratis has closed the
 * replica's division for good, so that a supervisor restarts the process.
 */
public record HealthChecks(BooleanSupplier live, BooleanSupplier ready) {
  static HealthChecks alwaysOk() {
    return new HealthChecks(() -> true, () -> true);
  }

  public static HealthChecks of(StoreNode store) {
    return new HealthChecks(() -> !store.isRaftClosed(), store::canServe);
  }

  static boolean isHealthCheck(String path) {
    return path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez");
  }

  /** The answer to one of the three paths. */
  ApiResponse answer(String path) {
    boolean ok = path.equals("/livez") ? live.getAsBoolean() : ready.getAsBoolean();
    if (ok) {
      return new ApiResponse(200, "ok".getBytes(StandardCharsets.UTF_8));
    }
    String check = path.substring(1);
    return new ApiResponse(500, ("[+]ping ok\n[-]etcd failed: reason withheld\n" + check + " check failed\n")
        .getBytes(StandardCharsets.UTF_8));
  }
}
