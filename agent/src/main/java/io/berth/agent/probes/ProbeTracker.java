package io.berth.agent.probes;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;

/**
 * One probe of one container run: when it is due (initialDelaySeconds after the container
 * started, then every periodSeconds) and what its results add up to (successThreshold
 * successes in a row pass, failureThreshold failures in a row fail). Pure: time is passed in.
 */
public final class ProbeTracker {
  /** What the results so far say. */
  public enum Verdict { UNKNOWN, SUCCESS, FAILURE }

  private final Probe probe;
  private final Instant containerStarted;
  private Instant lastRun;
  private int successes;
  private int failures;
  private Verdict verdict;
  private String lastMessage = "";

  public ProbeTracker(Probe probe, Instant containerStarted, Verdict initial) {
    this.probe = probe;
    this.containerStarted = containerStarted;
    this.verdict = initial;
  }

  public Probe probe() {
    return probe;
  }

  public boolean due(Instant now) {
    if (lastRun == null) {
      return !now.isBefore(containerStarted.plusSeconds(orDefault(probe.getInitialDelaySeconds(), 0)));
    }
    return !now.isBefore(nextRun());
  }

  /** When it is next due. */
  public Instant nextRun() {
    if (lastRun == null) {
      return containerStarted.plusSeconds(orDefault(probe.getInitialDelaySeconds(), 0));
    }
    return lastRun.plus(period());
  }

  public Duration period() {
    return Duration.ofSeconds(Math.max(1, orDefault(probe.getPeriodSeconds(), 10)));
  }

  /** Records a result taken at {@code now}; returns the verdict after it. */
  public Verdict record(boolean success, String message, Instant now) {
    lastRun = now;
    if (success) {
      successes++;
      failures = 0;
      if (successes >= Math.max(1, orDefault(probe.getSuccessThreshold(), 1))) {
        verdict = Verdict.SUCCESS;
      }
    } else {
      failures++;
      successes = 0;
      lastMessage = message;
      if (failures >= Math.max(1, orDefault(probe.getFailureThreshold(), 3))) {
        verdict = Verdict.FAILURE;
      }
    }
    return verdict;
  }

  public Verdict verdict() {
    return verdict;
  }

  public String lastFailure() {
    return lastMessage;
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
