package io.berth.ingress.routing;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import java.util.Arrays;
import java.util.List;

/** Builders for the objects a routing table is made of, kept short for tests. */
public final class ClusterObjects {
  private ClusterObjects() {}

  /** A path of an Ingress rule to {@code service} port 80. */
  public static HTTPIngressPath path(String path, String pathType, String service) {
    return new HTTPIngressPathBuilder().withPath(path).withPathType(pathType)
        .withNewBackend().withNewService().withName(service).withNewPort().withNumber(80).endPort().endService()
        .endBackend().build();
  }

  /** An Ingress of class berth in namespace default with one rule for {@code host} ("" for none). */
  public static Ingress ingress(String name, String host, HTTPIngressPath... paths) {
    return ingress(name, "2026-01-01T00:00:00Z", host, paths);
  }

  public static Ingress ingress(String name, String created, String host, HTTPIngressPath... paths) {
    return new IngressBuilder().withNewMetadata().withName(name).withNamespace("default")
        .withCreationTimestamp(created).endMetadata()
        .withNewSpec().withIngressClassName("berth")
        .withRules(new IngressRuleBuilder().withHost(host.isEmpty() ? null : host)
            .withNewHttp().withPaths(Arrays.asList(paths)).endHttp().build())
        .endSpec().build();
  }

  /** A Service with one port 80 named http, targeting 8080. */
  public static Service service(String name) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withPorts(new ServicePortBuilder().withName("http").withPort(80).build()).endSpec().build();
  }

  /**
   * Endpoints of {@code name} with one port named http: {@code ready} as addresses, {@code notReady} as
   * not ready, each "ip:port" (one subset, so the first entry's port is everyone's).
   */
  public static Endpoints endpoints(String name, List<String> ready, List<String> notReady) {
    EndpointSubsetBuilder subset = new EndpointSubsetBuilder();
    int port = 0;
    for (String r : ready) {
      subset.addToAddresses(new EndpointAddressBuilder().withIp(r.split(":")[0]).build());
      port = port == 0 ? Integer.parseInt(r.split(":")[1]) : port;
    }
    for (String r : notReady) {
      subset.addToNotReadyAddresses(new EndpointAddressBuilder().withIp(r.split(":")[0]).build());
      port = port == 0 ? Integer.parseInt(r.split(":")[1]) : port;
    }
    subset.withPorts(new EndpointPortBuilder().withName("http").withPort(port).build());
    return new EndpointsBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withSubsets(subset.build()).build();
  }

  public static IngressClass ingressClass(String name, boolean isDefault) {
    IngressClassBuilder b = new IngressClassBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withController("berth.io/ingress").endSpec();
    if (isDefault) {
      b.editMetadata().addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true").endMetadata();
    }
    return b.build();
  }
}
