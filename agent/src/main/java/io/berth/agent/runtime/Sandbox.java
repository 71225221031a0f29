package io.berth.agent.runtime;

import java.util.List;

/**
 * A pod's sandbox as the runtime has it.
 *
 * @param id the runtime's id for it
 * @param pod which pod
 * @param ip the pod's IP as the cluster sees it (the node address: ports are published there)
 * @param ports the published ports
 * @param running whether it still holds the pod's network (a dead infra container does not)
 */
public record Sandbox(String id, PodRef pod, String ip, List<PortMapping> ports, boolean running) {
  public Sandbox {
    ports = List.copyOf(ports);
  }
}
