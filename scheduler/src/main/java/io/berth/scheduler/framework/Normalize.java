package io.berth.scheduler.framework;

import java.util.List;

/** The two ways a relative raw score becomes 0..100. */
public final class Normalize {
  public static final long MAX = 100;

  private Normalize() {}

  /** More is better: the highest raw score becomes 100, the others in proportion. */
  public static List<Long> higherIsBetter(List<Long> raw) {
    long max = raw.stream().mapToLong(Long::longValue).max().orElse(0);
    if (max <= 0) {
      return raw.stream().map(score -> 0L).toList();
    }
    return raw.stream().map(score -> MAX * Math.max(0, score) / max).toList();
  }

  /** Less is better: a raw score of 0 becomes 100, the highest becomes 0. */
  public static List<Long> lowerIsBetter(List<Long> raw) {
    long max = raw.stream().mapToLong(Long::longValue).max().orElse(0);
    if (max <= 0) {
      return raw.stream().map(score -> MAX).toList();
    }
    return raw.stream().map(score -> MAX - MAX * Math.max(0, score) / max).toList();
  }
}
