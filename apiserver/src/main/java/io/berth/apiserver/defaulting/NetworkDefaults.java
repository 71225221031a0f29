package io.berth.apiserver.defaulting;

import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.Endpoints;
import java.util.Set;

/**
 * Service and Endpoints defaults: a Service is a ClusterIP service without session
 * affinity whose ports are TCP and forward to the same port number on the pods unless
 * told otherwise; traffic policies are Cluster. Endpoint ports are TCP.
 *
 * <p>Not done here: allocating cluster IPs and node ports, and the IP family fields set
 * with them; those belong to the allocators.
 */
public final class NetworkDefaults {
  /** The types that get a cluster IP, and so an internal traffic policy. */
  private static final Set<String> CLUSTER_IP_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer");
  /** The types reachable from outside the cluster, and so an external traffic policy. */
  private static final Set<String> EXTERNAL_TYPES = Set.of("NodePort", "LoadBalancer");

  private NetworkDefaults() {}

  public static void service(Service service) {
    if (service.getSpec() == null) {
      service.setSpec(new ServiceSpec());
    }
    ServiceSpec spec = service.getSpec();
    spec.setType(PodSpecDefaults.orDefault(spec.getType(), "ClusterIP"));
    spec.setSessionAffinity(PodSpecDefaults.orDefault(spec.getSessionAffinity(), "None"));
    if (CLUSTER_IP_TYPES.contains(spec.getType())) {
      spec.setInternalTrafficPolicy(PodSpecDefaults.orDefault(spec.getInternalTrafficPolicy(), "Cluster"));
    }
    if (EXTERNAL_TYPES.contains(spec.getType())) {
      spec.setExternalTrafficPolicy(PodSpecDefaults.orDefault(spec.getExternalTrafficPolicy(), "Cluster"));
    }
    for (ServicePort port : PodSpecDefaults.list(spec.getPorts())) {
      port.setProtocol(PodSpecDefaults.orDefault(port.getProtocol(), "TCP"));
      if (port.getTargetPort() == null && port.getPort() != null) {
        port.setTargetPort(new IntOrString(port.getPort()));
      }
    }
  }

  public static void endpoints(Endpoints endpoints) {
    for (EndpointSubset subset : PodSpecDefaults.list(endpoints.getSubsets())) {
      for (EndpointPort port : PodSpecDefaults.list(subset.getPorts())) {
        port.setProtocol(PodSpecDefaults.orDefault(port.getProtocol(), "TCP"));
      }
    }
  }
}
