package io.berth.agent.runtime;

/** The runtime refused or failed a call; the message is the runtime's own (the engine's error text). */
public final class RuntimeFailure extends RuntimeException {
  public RuntimeFailure(String message) {
    super(message);
  }

  public RuntimeFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
