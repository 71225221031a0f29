package io.berth.agent.runtime;

import java.util.List;
import java.util.Map;

/**
 * One container to create, already resolved by the agent (env values looked up, volumes
 * written to host directories).
 *
 * @param pod which pod
 * @param name the container's name in the pod
 * @param attempt 0 for the first run, then one more per restart (restartCount)
 * @param image the image (ignored by the process runtime)
 * @param command the entrypoint (Kubernetes' command); empty: the image's
 * @param args the arguments (Kubernetes' args); empty: the image's
 * @param workingDir or null
 * @param env in order
 * @param mounts volumes
 * @param resources limits and requests
 * @param ports this container's declared ports and where they are published (the process
 *     runtime tells the process its ports through PORT and PORT_NAME variables)
 */
public record ContainerSpec(PodRef pod, String name, int attempt, String image, List<String> command,
    List<String> args, String workingDir, Map<String, String> env, List<Mount> mounts, Resources resources,
    List<PortMapping> ports) {
  public ContainerSpec {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    mounts = List.copyOf(mounts);
    ports = List.copyOf(ports);
  }

  /** command followed by args: what the process runtime runs. */
  public List<String> commandLine() {
    List<String> all = new java.util.ArrayList<>(command);
    all.addAll(args);
    return all;
  }
}
