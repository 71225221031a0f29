package io.berth.agent.runtime;

import java.util.List;

/**
 * What a pod's sandbox needs.
 *
 * @param pod which pod
 * @param hostname the pod's hostname
 * @param nodeAddress the address ports are published on (the node's InternalIP)
 * @param ports every declared port of the pod's containers, with the node port chosen for it
 */
public record SandboxSpec(PodRef pod, String hostname, String nodeAddress, List<PortMapping> ports) {
  public SandboxSpec {
    ports = List.copyOf(ports);
  }
}
