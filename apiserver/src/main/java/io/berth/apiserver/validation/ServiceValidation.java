package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services and their Endpoints. A service needs ports unless it is headless (clusterIP
 * None: DNS only) or an ExternalName (a DNS alias); its cluster IP, once given, is fixed,
 * since clients and DNS already point at it.
 */
final class ServiceValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final Set<String> TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
  private static final Set<String> AFFINITIES = Set.of("None", "ClientIP");
  private static final Set<String> TRAFFIC_POLICIES = Set.of("Cluster", "Local");

  private ServiceValidation() {}

  static void service(Service service, Errors errors) {
    ServiceSpec spec = service.getSpec();
    if (spec == null) {
      errors.required(SPEC, "");
      return;
    }
    errors.oneOf(SPEC.child("type"), spec.getType(), TYPES);
    errors.oneOf(SPEC.child("sessionAffinity"), spec.getSessionAffinity(), AFFINITIES);
    errors.oneOf(SPEC.child("externalTrafficPolicy"), spec.getExternalTrafficPolicy(), TRAFFIC_POLICIES);
    errors.oneOf(SPEC.child("internalTrafficPolicy"), spec.getInternalTrafficPolicy(), TRAFFIC_POLICIES);
    boolean externalName = "ExternalName".equals(spec.getType());
    boolean headless = "None".equals(spec.getClusterIP());
    String clusterIp = spec.getClusterIP();
    if (externalName) {
      if (MetadataValidation.isEmpty(spec.getExternalName())) {
        errors.required(SPEC.child("externalName"), "");
      } else {
        errors.invalid(SPEC.child("externalName"), spec.getExternalName(), Syntax.dns1123Subdomain(spec.getExternalName()));
      }
      if (!MetadataValidation.isEmpty(clusterIp)) {
        errors.forbidden(SPEC.child("clusterIP"), "may not be set for ExternalName services");
      }
    } else if (!MetadataValidation.isEmpty(clusterIp) && !headless) {
      errors.invalid(SPEC.child("clusterIP"), clusterIp, Syntax.ip(clusterIp));
    }
    List<ServicePort> ports = PodSpecValidation.list(spec.getPorts());
    if (ports.isEmpty() && !externalName && !headless) {
      errors.required(SPEC.child("ports"), "");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      port(ports.get(i), SPEC.child("ports").index(i), ports.size() > 1, names, spec.getType(), errors);
    }
    MetadataValidation.labels(spec.getSelector(), SPEC.child("selector"), errors);
    for (int i = 0; i < PodSpecValidation.list(spec.getExternalIPs()).size(); i++) {
      String ip = spec.getExternalIPs().get(i);
      errors.invalid(SPEC.child("externalIPs").index(i), ip, Syntax.ip(ip));
    }
  }

  /** Several ports need names, so that endpoints and named target ports can tell them apart. */
  private static void port(ServicePort port, FieldPath path, boolean mustBeNamed, Set<String> names, String type,
      Errors errors) {
    if (MetadataValidation.isEmpty(port.getName())) {
      if (mustBeNamed) {
        errors.required(path.child("name"), "");
      }
    } else if (!names.add(port.getName())) {
      errors.duplicate(path.child("name"), port.getName());
    } else {
      errors.invalid(path.child("name"), port.getName(), Syntax.dns1123Label(port.getName()));
    }
    if (port.getPort() == null) {
      errors.required(path.child("port"), "");
    } else {
      errors.port(path.child("port"), port.getPort());
    }
    errors.oneOf(path.child("protocol"), port.getProtocol(), PodSpecValidation.PROTOCOLS);
    targetPort(port.getTargetPort(), path.child("targetPort"), errors);
    if (port.getNodePort() != null && port.getNodePort() != 0) {
      if ("ClusterIP".equals(type) || "ExternalName".equals(type)) {
        errors.forbidden(path.child("nodePort"), "may not be used when `type` is '" + type + "'");
      } else {
        errors.port(path.child("nodePort"), port.getNodePort());
      }
    }
  }

  /** A port number on the pods, or the name of a container port. */
  private static void targetPort(IntOrString target, FieldPath path, Errors errors) {
    if (target == null) {
      return;
    }
    if (target.getIntVal() != null) {
      errors.port(path, target.getIntVal());
    } else if (target.getStrVal() != null) {
      errors.invalid(path, target.getStrVal(), Syntax.portName(target.getStrVal()));
    }
  }

  static void serviceUpdate(Service updated, Service old, Errors errors) {
    String before = old.getSpec() == null ? null : old.getSpec().getClusterIP();
    String after = updated.getSpec() == null ? null : updated.getSpec().getClusterIP();
    // Leaving it out of an update keeps it (as kube-apiserver copies it over); changing it is refused.
    if (!MetadataValidation.isEmpty(before) && !MetadataValidation.isEmpty(after) && !before.equals(after)) {
      errors.invalid(SPEC.child("clusterIP"), after, "field is immutable");
    }
  }

  static void endpoints(Endpoints endpoints, Errors errors) {
    List<EndpointSubset> subsets = PodSpecValidation.list(endpoints.getSubsets());
    for (int i = 0; i < subsets.size(); i++) {
      FieldPath path = FieldPath.root("subsets").index(i);
      addresses(subsets.get(i).getAddresses(), path.child("addresses"), errors);
      addresses(subsets.get(i).getNotReadyAddresses(), path.child("notReadyAddresses"), errors);
      List<EndpointPort> ports = PodSpecValidation.list(subsets.get(i).getPorts());
      Set<String> names = new HashSet<>();
      for (int j = 0; j < ports.size(); j++) {
        EndpointPort port = ports.get(j);
        FieldPath p = path.child("ports").index(j);
        if (MetadataValidation.isEmpty(port.getName())) {
          if (ports.size() > 1) {
            errors.required(p.child("name"), "");
          }
        } else if (!names.add(port.getName())) {
          errors.duplicate(p.child("name"), port.getName());
        } else {
          errors.invalid(p.child("name"), port.getName(), Syntax.dns1123Label(port.getName()));
        }
        errors.port(p.child("port"), port.getPort());
        if (port.getPort() == null) {
          errors.required(p.child("port"), "");
        }
        errors.oneOf(p.child("protocol"), port.getProtocol(), PodSpecValidation.PROTOCOLS);
      }
    }
  }

  /**
   * Endpoint addresses are literal IPs that traffic really goes to: never link-local. Unlike
   * Kubernetes, loopback is allowed: endpoints carry node addresses (DESIGN.md decision 5), and
   * the nodes of a cluster on one machine ({@code berth up}) are 127.0.1.N.
   */
  private static void addresses(List<EndpointAddress> addresses, FieldPath path, Errors errors) {
    for (int i = 0; i < PodSpecValidation.list(addresses).size(); i++) {
      String ip = addresses.get(i).getIp();
      FieldPath p = path.index(i).child("ip");
      if (MetadataValidation.isEmpty(ip)) {
        errors.required(p, "");
      } else if (!Syntax.ip(ip).isEmpty()) {
        errors.invalid(p, ip, Syntax.ip(ip));
      } else if (ip.startsWith("169.254.") || ip.toLowerCase().startsWith("fe80:")) {
        errors.invalid(p, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
      }
    }
  }
}
