package io.berth.chaos.history;

import java.util.List;

/**
 * One fault a nemesis injected, from the moment it began to the moment it was healed.
 *
 * @param nemesis which nemesis (e.g. {@code partition-leader}, {@code kill-random})
 * @param description what exactly was done, for people ({@code "isolated n2 from n1, n3"})
 * @param targets the replicas it acted on
 * @param startNanos when it took effect, in nanoseconds since the run started
 * @param endNanos when it was healed; {@code Long.MAX_VALUE} while it lasts
 */
public record Fault(String nemesis, String description, List<String> targets, long startNanos, long endNanos) {

  public Fault healedAt(long nanos) {
    return new Fault(nemesis, description, targets, startNanos, nanos);
  }
}
