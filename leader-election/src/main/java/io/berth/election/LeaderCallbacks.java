package io.berth.election;

/**
 * What a leader-only component does when its replica gains or loses leadership.
 */
public interface LeaderCallbacks {
  /**
   * Leadership was won: start the component's work. Called on one of {@code leadership}'s
   * threads, so it may block for as long as the work runs; it is interrupted when leadership
   * ends. Further work goes to {@link Leadership#submit} or {@link Leadership#scheduleWithFixedDelay},
   * and every write must carry {@code token} (use {@link Leadership#fence}).
   */
  void onStartedLeading(FencingToken token, Leadership leadership);

  /**
   * Leadership ended. By the time this is called every task of the leadership has been
   * interrupted and cancelled, and its threads have ended (or the stop timeout passed,
   * which is logged as an error); release anything else the component holds. Called on the
   * elector's thread, which campaigns again once this returns.
   */
  void onStoppedLeading();
}
