package io.berth.ingress.nodeport;

import io.berth.ingress.routing.Backend;
import io.berth.ingress.routing.BackendResolver;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which node port leads where: for every Service of type NodePort or LoadBalancer, each TCP port
 * with a nodePort, resolved to the ready endpoints of that Service port. A pure function of the
 * Services and Endpoints; when two Services claim one node port (the API server should prevent
 * it) the first by namespace/name keeps it.
 */
final class NodePorts {
  private static final Set<String> TYPES = Set.of("NodePort", "LoadBalancer");

  private NodePorts() {}

  static Map<Integer, Backend> of(Collection<Service> services, Collection<Endpoints> endpoints) {
    Map<String, Service> servicesByKey = new HashMap<>();
    services.forEach(s -> servicesByKey.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s));
    Map<String, Endpoints> endpointsByKey = new HashMap<>();
    endpoints.forEach(e -> endpointsByKey.put(key(e.getMetadata().getNamespace(), e.getMetadata().getName()), e));
    BackendResolver resolver = new BackendResolver(servicesByKey, endpointsByKey);
    Map<Integer, Backend> ports = new HashMap<>();
    servicesByKey.keySet().stream().sorted().map(servicesByKey::get).forEach(service -> {
      if (service.getSpec() == null || !TYPES.contains(service.getSpec().getType())
          || service.getSpec().getPorts() == null) {
        return;
      }
      for (ServicePort port : service.getSpec().getPorts()) {
        boolean tcp = port.getProtocol() == null || "TCP".equals(port.getProtocol());
        if (tcp && port.getNodePort() != null && port.getNodePort() > 0 && port.getPort() != null) {
          ports.putIfAbsent(port.getNodePort(), resolver.resolve(service.getMetadata().getNamespace(),
              service.getMetadata().getName(), port.getPort()));
        }
      }
    });
    return ports;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
