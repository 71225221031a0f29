package io.berth.controllers;

import java.time.Duration;

/** What a reconcile asks for next: nothing ({@link #done()}), or another look after a delay. */
public record Result(Duration requeueAfter) {
  private static final Result DONE = new Result(null);

  public static Result done() {
    return DONE;
  }

  public static Result requeueAfter(Duration delay) {
    return new Result(delay);
  }

  public boolean requeue() {
    return requeueAfter != null;
  }

  /** The earlier requeue of the two (done counts as never). */
  public Result sooner(Result other) {
    if (!requeue()) {
      return other;
    }
    if (!other.requeue()) {
      return this;
    }
    return requeueAfter.compareTo(other.requeueAfter) <= 0 ? this : other;
  }
}
