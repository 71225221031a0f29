package io.berth.controllers.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds; integration tests wait on real outcomes this way. */
public final class Eventually {
  private Eventually() {}

  /** Waits until {@code condition} is true; fails with {@code what} and the last state if it never is. */
  public static void await(String what, Duration timeout, Supplier<Boolean> condition, Supplier<?> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // e.g. the object is not there yet
      }
      Thread.sleep(25);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last state: " + state.get());
  }

  public static void await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
    await(what, timeout, condition, () -> "(not shown)");
  }
}
