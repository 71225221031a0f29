package io.berth.agent.pods;

/** A pod's restartPolicy: whether a container that exited with this code runs again. */
public enum RestartPolicy {
  ALWAYS, ON_FAILURE, NEVER;

  /** Kubernetes' default is Always. */
  public static RestartPolicy of(String value) {
    if (value == null || value.isEmpty() || value.equals("Always")) {
      return ALWAYS;
    }
    return switch (value) {
      case "OnFailure" -> ON_FAILURE;
      case "Never" -> NEVER;
      default -> throw new IllegalArgumentException("unknown restartPolicy " + value);
    };
  }

  public boolean restarts(int exitCode) {
    return this == ALWAYS || (this == ON_FAILURE && exitCode != 0);
  }

  /** Init containers run until they succeed unless the policy is Never. */
  public boolean restartsInit(int exitCode) {
    return exitCode != 0 && this != NEVER;
  }
}
