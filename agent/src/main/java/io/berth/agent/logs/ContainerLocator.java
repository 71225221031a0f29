package io.berth.agent.logs;

import java.util.Optional;

/** Finds the runtime id of a pod's container: its current run, or the one before (previous). */
public interface ContainerLocator {
  Optional<String> find(String namespace, String pod, String container, boolean previous);

  /** The name of the pod's only container when {@code container} is not given and there is one; else empty. */
  Optional<String> defaultContainer(String namespace, String pod);
}
