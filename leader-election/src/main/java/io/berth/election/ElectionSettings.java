package io.berth.election;

import java.time.Duration;

/**
 * The timing knobs of an election (DESIGN.md, decision 10), with defaults chosen so that
 * a new leader is acting within 2 s of the old one's process dying. The README explains
 * each default.
 *
 * @param prefix where campaign keys live; a component's keys are under {@code prefix + component + "/"}
 * @param ttl the store lease's TTL, whole seconds (the store grants TTLs in seconds, at least 1)
 * @param renewPeriod how often the session sends a keep-alive
 * @param safetyMargin how long before the store could expire the lease a leader stops by its own clock
 * @param leaseObjectRenewPeriod how often the leader rewrites renewTime of its Lease object
 * @param callTimeout the budget of one store call, every endpoint and retry included
 * @param stopTimeout how long a lost leadership waits for the component's interrupted work to end
 * @param retryPause the pause before campaigning again after a session was lost
 */
public record ElectionSettings(
    String prefix,
    Duration ttl,
    Duration renewPeriod,
    Duration safetyMargin,
    Duration leaseObjectRenewPeriod,
    Duration callTimeout,
    Duration stopTimeout,
    Duration retryPause) {

  public static final String DEFAULT_PREFIX = "/berth/elections/";

  public ElectionSettings {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("the election prefix ends with '/': " + prefix);
    }
    if (ttl.toMillis() % 1000 != 0 || ttl.toSeconds() < 1) {
      throw new IllegalArgumentException("the lease TTL is a whole number of seconds, at least 1: " + ttl);
    }
    if (safetyMargin.isNegative() || safetyMargin.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("the safety margin " + safetyMargin + " must be less than the TTL " + ttl);
    }
    // At least two keep-alives fit in the time a renewal buys, so one lost or slow
    // keep-alive does not cost the leadership.
    if (renewPeriod.multipliedBy(2).compareTo(ttl.minus(safetyMargin)) > 0) {
      throw new IllegalArgumentException("renew period " + renewPeriod + " is too long for TTL " + ttl
          + " minus safety margin " + safetyMargin + ": at least two keep-alives must fit");
    }
  }

  public static ElectionSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().prefix(prefix).ttl(ttl).renewPeriod(renewPeriod).safetyMargin(safetyMargin)
        .leaseObjectRenewPeriod(leaseObjectRenewPeriod).callTimeout(callTimeout).stopTimeout(stopTimeout)
        .retryPause(retryPause);
  }

  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private Duration ttl = Duration.ofSeconds(1);
    private Duration renewPeriod = Duration.ofMillis(200);
    private Duration safetyMargin = Duration.ofMillis(250);
    private Duration leaseObjectRenewPeriod = Duration.ofSeconds(1);
    private Duration callTimeout = Duration.ofSeconds(2);
    private Duration stopTimeout = Duration.ofSeconds(2);
    private Duration retryPause = Duration.ofMillis(100);

    public Builder prefix(String v) { prefix = v; return this; }
    public Builder ttl(Duration v) { ttl = v; return this; }
    public Builder renewPeriod(Duration v) { renewPeriod = v; return this; }
    public Builder safetyMargin(Duration v) { safetyMargin = v; return this; }
    public Builder leaseObjectRenewPeriod(Duration v) { leaseObjectRenewPeriod = v; return this; }
    public Builder callTimeout(Duration v) { callTimeout = v; return this; }
    public Builder stopTimeout(Duration v) { stopTimeout = v; return this; }
    public Builder retryPause(Duration v) { retryPause = v; return this; }

    public ElectionSettings build() {
      return new ElectionSettings(prefix, ttl, renewPeriod, safetyMargin, leaseObjectRenewPeriod, callTimeout,
          stopTimeout, retryPause);
    }
  }
}
