package io.berth.agent.runtime;

/**
 * One declared container port and where it is published on the node.
 *
 * @param name the port's name, or null
 * @param containerPort the port the container listens on (in the pod's network namespace)
 * @param protocol TCP, UDP or SCTP
 * @param hostPort the node port to publish on: the declared hostPort, or one the agent allocated
 */
public record PortMapping(String name, int containerPort, String protocol, int hostPort) {
  /** The key the Endpoints controller reads in the published-ports annotation: "8080/TCP". */
  public String key() {
    return containerPort + "/" + protocol;
  }
}
