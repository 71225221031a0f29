package io.berth.chaos.run;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one chaos run does.
 *
 * @param seed drives every random choice of the nemeses and clients: the same seed picks the
 *     same faults in the same order (timing, and so the history, still differs)
 * @param faultTime how long faults are injected, in rounds
 * @param faultDuration how long each fault lasts before it is healed
 * @param healDuration how long the cluster runs healed between two faults
 * @param quietPeriod after the last heal, how long clients keep going before the checks
 * @param nemeses comma-separated nemesis names, or {@code all}
 * @param combine whether one round may inject a network and a process fault together
 * @param results the folder the run writes its history, verdicts and report into
 */
public record RunOptions(
    long seed,
    Duration faultTime,
    Duration faultDuration,
    Duration healDuration,
    Duration quietPeriod,
    String nemeses,
    boolean combine,
    Path results) {}
