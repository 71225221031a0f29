package io.berth.agent.pods;

import java.time.Duration;
import java.time.Instant;

/**
 * When an exited container may run again: Kubernetes' CrashLoopBackOff, the wait doubling
 * from {@code initial} with each restart up to {@code cap}, and starting over once a run
 * lasted {@code resetAfter} (a container that ran healthily for a while is not punished for
 * old crashes). Pure: the clock is an argument.
 */
public record CrashLoopBackoff(Duration initial, Duration cap, Duration resetAfter) {
  /** Kubernetes' kubelet: 10 s doubling to 5 min, reset after 10 min of running. */
  public static final CrashLoopBackoff KUBELET = new CrashLoopBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5),
      Duration.ofMinutes(10));

  /**
   * The wait before run {@code restartCount + 2} (restart number restartCount + 1), given how long
   * the last run lasted: none, then initial, 2 initial, 4 initial, ... at most cap.
   *
   * @param restartCount restarts so far (0: the container ran once)
   */
  public Duration delay(int restartCount, Duration lastRun) {
    // The first crash is restarted at once, as the kubelet does; waiting starts with the second.
    if (restartCount == 0 || lastRun.compareTo(resetAfter) >= 0) {
      return Duration.ZERO;
    }
    Duration delay = initial;
    for (int i = 1; i < restartCount && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  /** When a container that started at {@code started} and exited at {@code finished} may run again. */
  public Instant restartAt(int restartCount, Instant started, Instant finished) {
    Duration lastRun = started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
    return (finished == null ? Instant.EPOCH : finished).plus(delay(restartCount, lastRun));
  }
}
