package io.berth.controllers.replicaset;

import java.util.function.IntUnaryOperator;

/**
 * Creates in batches that double (1, 2, 4, ...) and stops at the first batch with a
 * failure. When every create would fail (a quota, a webhook, a bad template) this makes one
 * failing call instead of hundreds; when they succeed it is nearly as fast as all at once.
 */
final class SlowStart {
  private SlowStart() {}

  /**
   * Creates {@code total} objects through {@code batch}, which creates as many as asked
   * and answers how many succeeded.
   *
   * @return how many were created; {@code total} minus it were skipped or failed
   */
  static int run(int total, int initialBatch, IntUnaryOperator batch) {
    int created = 0;
    int size = Math.min(total, initialBatch);
    while (size > 0) {
      int succeeded = batch.applyAsInt(size);
      created += succeeded;
      if (succeeded < size) {
        break;
      }
      size = Math.min(total - created, 2 * size);
    }
    return created;
  }
}
