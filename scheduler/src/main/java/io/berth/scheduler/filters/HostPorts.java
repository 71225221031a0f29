package io.berth.scheduler.filters;

import io.berth.scheduler.framework.Filter;
import io.berth.scheduler.framework.FilterResult;
import io.berth.scheduler.framework.NodeInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * No host port the pod asks for is taken on the node: same port and protocol, and the same
 * host IP or either one the wildcard (empty or 0.0.0.0).
 */
public final class HostPorts implements Filter {
  public static final String CONFLICT = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return "HostPorts";
  }

  @Override
  public FilterResult filter(Pod pod, NodeInfo node) {
    List<HostPort> wanted = hostPorts(pod);
    if (wanted.isEmpty()) {
      return FilterResult.fits();
    }
    for (Pod other : node.pods()) {
      for (HostPort taken : hostPorts(other)) {
        if (wanted.stream().anyMatch(taken::conflictsWith)) {
          return FilterResult.fail(CONFLICT);
        }
      }
    }
    return FilterResult.fits();
  }

  record HostPort(String ip, String protocol, int port) {
    boolean conflictsWith(HostPort other) {
      return port == other.port && protocol.equals(other.protocol)
          && (ip.equals(other.ip) || wildcard(ip) || wildcard(other.ip));
    }

    private static boolean wildcard(String ip) {
      return ip.isEmpty() || ip.equals("0.0.0.0");
    }
  }

  static List<HostPort> hostPorts(Pod pod) {
    List<HostPort> ports = new ArrayList<>();
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return ports;
    }
    for (Container container : pod.getSpec().getContainers()) {
      for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
        if (port.getHostPort() != null && port.getHostPort() > 0) {
          ports.add(new HostPort(
              port.getHostIP() == null ? "" : port.getHostIP(),
              port.getProtocol() == null ? "TCP" : port.getProtocol(),
              port.getHostPort()));
        }
      }
    }
    return ports;
  }
}
