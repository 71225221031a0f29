package io.berth.store.testing;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/** Retries a client call the way an etcd client does while a cluster fails over. */
public final class Retrying {
  /** Statuses a client retries: the member is down, has no leader, or the request timed out. */
  private static final Set<Status.Code> RETRIABLE = Set.of(
      Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);

  private Retrying() {}

  /** Calls until it succeeds or {@code budget} has passed; non-retriable failures are thrown at once. */
  public static <T> T call(Duration budget, Supplier<T> call) {
    long deadline = System.nanoTime() + budget.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (!RETRIABLE.contains(e.getStatus().getCode()) || System.nanoTime() > deadline) {
          throw e;
        }
        StoreCluster.sleep(20);
      }
    }
  }

  public static boolean isRetriable(StatusRuntimeException e) {
    return RETRIABLE.contains(e.getStatus().getCode());
  }
}
