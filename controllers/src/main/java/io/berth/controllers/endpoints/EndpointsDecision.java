package io.berth.controllers.endpoints;

import io.berth.controllers.workload.PodState;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Endpoints a Service with a selector should have: a pure function of the Service,
 * the pods of its namespace, and the nodes' addresses.
 *
 * <p>Each selected pod that is neither finished nor being deleted contributes one address
 * per reachable port ({@link PublishedPorts}); ready pods go to {@code addresses}, the
 * others to {@code notReadyAddresses}. Because every pod may be published on its own
 * ports, addresses are grouped into one subset per distinct port list; everything is
 * sorted so that an unchanged state gives an equal object (and no write).
 */
final class EndpointsDecision {
  private EndpointsDecision() {}

  /** Whether the Endpoints controller manages this Service's Endpoints (only Services with a selector). */
  static boolean manages(Service service) {
    return service.getSpec() != null && service.getSpec().getSelector() != null
        && !service.getSpec().getSelector().isEmpty();
  }

  static boolean selects(Service service, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    return manages(service) && labels.entrySet().containsAll(service.getSpec().getSelector().entrySet());
  }

  /**
   * @param nodeAddress a node name to its InternalIP (null when unknown)
   */
  static List<EndpointSubset> subsets(Service service, List<Pod> podsInNamespace, Function<String, String> nodeAddress) {
    Map<List<EndpointPort>, Group> byPorts = new LinkedHashMap<>();
    for (Pod pod : podsInNamespace) {
      if (!selects(service, pod) || !PodState.isActive(pod)) {
        continue;
      }
      String node = nodeAddressOf(pod, nodeAddress);
      String ip = null;
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort servicePort : service.getSpec().getPorts()) {
        Optional<PublishedPorts.Reach> reach = reach(pod, servicePort, node);
        if (reach.isEmpty() || (ip != null && !ip.equals(reach.get().ip()))) {
          // An address must serve all its subset's ports; a port reached elsewhere is left out.
          continue;
        }
        ip = reach.get().ip();
        ports.add(new EndpointPortBuilder().withName(servicePort.getName()).withPort(reach.get().port())
            .withProtocol(protocol(servicePort)).withAppProtocol(servicePort.getAppProtocol()).build());
      }
      if (ip == null) {
        continue;
      }
      ports.sort(Comparator.comparing(p -> p.getName() == null ? "" : p.getName()));
      Group group = byPorts.computeIfAbsent(ports, p -> new Group());
      (PodState.isReady(pod) ? group.ready : group.notReady).add(address(pod, ip));
    }
    return byPorts.entrySet().stream()
        .map(e -> new EndpointSubsetBuilder().withPorts(e.getKey())
            .withAddresses(sorted(e.getValue().ready)).withNotReadyAddresses(sorted(e.getValue().notReady)).build())
        .sorted(Comparator.comparing(EndpointsDecision::firstIp))
        .toList();
  }

  /** The pod's node address: hostIP as the agent reported it, else the Node's InternalIP. */
  private static String nodeAddressOf(Pod pod, Function<String, String> nodeAddress) {
    String hostIp = pod.getStatus() == null ? null : pod.getStatus().getHostIP();
    if (hostIp != null && !hostIp.isEmpty()) {
      return hostIp;
    }
    return PodState.isAssigned(pod) ? nodeAddress.apply(pod.getSpec().getNodeName()) : null;
  }

  /** The service port's target in this pod: by number, or by the name of a container port. */
  private static Optional<PublishedPorts.Reach> reach(Pod pod, ServicePort servicePort, String nodeAddress) {
    IntOrString target = servicePort.getTargetPort();
    String protocol = protocol(servicePort);
    Integer containerPort;
    if (target == null) {
      containerPort = servicePort.getPort();
    } else if (target.getStrVal() != null && !target.getStrVal().isEmpty()) {
      containerPort = PublishedPorts.named(pod, target.getStrVal()).map(p -> p.getContainerPort()).orElse(null);
    } else {
      containerPort = target.getIntVal();
    }
    return containerPort == null ? Optional.empty() : PublishedPorts.reach(pod, containerPort, protocol, nodeAddress);
  }

  private static EndpointAddress address(Pod pod, String ip) {
    return new EndpointAddressBuilder().withIp(ip).withNodeName(pod.getSpec().getNodeName())
        .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
        .build();
  }

  private static String protocol(ServicePort port) {
    return port.getProtocol() == null ? "TCP" : port.getProtocol();
  }

  private static List<EndpointAddress> sorted(List<EndpointAddress> addresses) {
    return addresses.stream().sorted(Comparator.comparing(EndpointAddress::getIp)
        .thenComparing(a -> a.getTargetRef().getName())).toList();
  }

  private static String firstIp(EndpointSubset subset) {
    return subset.getAddresses().isEmpty() ? subset.getNotReadyAddresses().get(0).getIp()
        : subset.getAddresses().get(0).getIp();
  }

  private static final class Group {
    final List<EndpointAddress> ready = new ArrayList<>();
    final List<EndpointAddress> notReady = new ArrayList<>();
  }
}
