package io.berth.election;

/** A campaign could not go on: its session ended, or its key was deleted under it. */
public final class SessionEndedException extends Exception {
  public SessionEndedException(String reason) {
    super(reason);
  }
}
