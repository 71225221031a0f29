package io.berth.controllers.endpoints;

import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where a client reaches a pod's container port: the one place that knows how ports are
 * published (DESIGN.md decision 5: no overlay network, so a port is reached on the pod's
 * node at the port the agent published it on).
 */
final class PublishedPorts {
  /**
   * The annotation in which the agent records the ports it published, as JSON
   * {@code {"8080/TCP": 31005}}. The agent does not write it yet (agent issue): until it
   * does, declared hostPorts and then the pod IP stand in.
   */
  static final String ANNOTATION = "berth.io/published-ports";

  /** An address and port to put in Endpoints. */
  record Reach(String ip, int port) {}

  private PublishedPorts() {}

  /**
   * How to reach {@code containerPort}/{@code protocol} of {@code pod}, or empty when it
   * cannot be reached yet (no address known):
   * <ol>
   *   <li>the port the agent published (annotation), on the node's address;</li>
   *   <li>else the hostPort the pod declares for it, on the node's address;</li>
   *   <li>else the container port on the pod IP (until the agent publishes ports).</li>
   * </ol>
   *
   * @param nodeAddress the node's address (pod.status.hostIP, else the Node's InternalIP); may be null
   */
  static Optional<Reach> reach(Pod pod, int containerPort, String protocol, String nodeAddress) {
    Integer published = publishedByAgent(pod).get(containerPort + "/" + protocol);
    if (published != null && nodeAddress != null) {
      return Optional.of(new Reach(nodeAddress, published));
    }
    Optional<Integer> hostPort = declared(pod, containerPort, protocol).map(ContainerPort::getHostPort)
        .filter(p -> p != null && p > 0);
    if (hostPort.isPresent() && nodeAddress != null) {
      return Optional.of(new Reach(nodeAddress, hostPort.get()));
    }
    String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return podIp == null || podIp.isEmpty() ? Optional.empty() : Optional.of(new Reach(podIp, containerPort));
  }

  /** The declaration of a container port, if some container declares it. */
  static Optional<ContainerPort> declared(Pod pod, int containerPort, String protocol) {
    return ports(pod).filter(p -> p.getContainerPort() != null && p.getContainerPort() == containerPort
        && protocol.equals(p.getProtocol() == null ? "TCP" : p.getProtocol())).findFirst();
  }

  /** The container port named {@code name}, if any. */
  static Optional<ContainerPort> named(Pod pod, String name) {
    return ports(pod).filter(p -> name.equals(p.getName())).findFirst();
  }

  private static java.util.stream.Stream<ContainerPort> ports(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return java.util.stream.Stream.empty();
    }
    return pod.getSpec().getContainers().stream().map(Container::getPorts).filter(p -> p != null)
        .flatMap(java.util.List::stream);
  }

  private static Map<String, Integer> publishedByAgent(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String json = annotations == null ? null : annotations.get(ANNOTATION);
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return Json.MAPPER.readValue(json, new TypeReference<Map<String, Integer>>() {});
    } catch (IOException malformed) {
      // Not the agent's writing: ignore it rather than publish a wrong port.
      return Map.of();
    }
  }
}
