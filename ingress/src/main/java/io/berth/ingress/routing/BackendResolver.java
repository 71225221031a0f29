package io.berth.ingress.routing;

import io.berth.ingress.balancing.Upstream;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves an Ingress backend (a Service and one of its ports, by number or name) to the
 * ready addresses of the Service's Endpoints. Endpoints name their ports as the Service does,
 * so the Service port's name finds the Endpoints port; an address is the pod's node and the
 * port the agent published (see the Endpoints controller). Only {@code addresses} count:
 * {@code notReadyAddresses} are pods that must not get traffic (starting, or shutting down).
 */
public final class BackendResolver {
  private final Map<String, Service> services;
  private final Map<String, Endpoints> endpoints;

  /** Both maps are keyed {@code namespace/name}. */
  public BackendResolver(Map<String, Service> services, Map<String, Endpoints> endpoints) {
    this.services = services;
    this.endpoints = endpoints;
  }

  /** The Service {@code namespace/name}'s port {@code port} (number), resolved. */
  public Backend resolve(String namespace, String name, int port) {
    return resolve(namespace, new IngressServiceBackend(name, new ServiceBackendPort(null, port)));
  }

  Backend resolve(String namespace, IngressServiceBackend ref) {
    ServiceBackendPort port = ref.getPort();
    String portText = port == null ? "?" : port.getName() != null && !port.getName().isEmpty()
        ? port.getName() : String.valueOf(port.getNumber());
    String name = namespace + "/" + ref.getName() + ":" + portText;
    Service service = services.get(namespace + "/" + ref.getName());
    if (service == null) {
      return Backend.unavailable(name, "service " + namespace + "/" + ref.getName() + " not found");
    }
    ServicePort servicePort = servicePort(service, port);
    if (servicePort == null) {
      return Backend.unavailable(name, "service " + namespace + "/" + ref.getName() + " has no port " + portText);
    }
    Endpoints eps = endpoints.get(namespace + "/" + ref.getName());
    List<Upstream> ready = new ArrayList<>();
    if (eps != null && eps.getSubsets() != null) {
      for (EndpointSubset subset : eps.getSubsets()) {
        Integer target = endpointPort(subset, servicePort);
        if (target == null || subset.getAddresses() == null) {
          continue;
        }
        for (EndpointAddress address : subset.getAddresses()) {
          if (address.getIp() != null) {
            ready.add(new Upstream(address.getIp(), target));
          }
        }
      }
    }
    if (ready.isEmpty()) {
      return Backend.unavailable(name, "no ready endpoint for service " + namespace + "/" + ref.getName());
    }
    return new Backend(name, ready, null);
  }

  private static ServicePort servicePort(Service service, ServiceBackendPort port) {
    if (port == null || service.getSpec() == null || service.getSpec().getPorts() == null) {
      return null;
    }
    for (ServicePort sp : service.getSpec().getPorts()) {
      boolean byName = port.getName() != null && !port.getName().isEmpty() && port.getName().equals(sp.getName());
      boolean byNumber = port.getNumber() != null && port.getNumber().equals(sp.getPort());
      if (byName || byNumber) {
        return sp;
      }
    }
    return null;
  }

  /** The port of {@code subset} serving {@code servicePort}: same name, or the only port of both. */
  private static Integer endpointPort(EndpointSubset subset, ServicePort servicePort) {
    List<EndpointPort> ports = subset.getPorts();
    if (ports == null || ports.isEmpty()) {
      return null;
    }
    for (EndpointPort p : ports) {
      if (Objects.equals(emptyToNull(p.getName()), emptyToNull(servicePort.getName()))) {
        return p.getPort();
      }
    }
    return null;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
