package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Ingresses (CLASS HOSTS ADDRESS PORTS) and IngressClasses (CONTROLLER PARAMETERS). */
final class IngressColumns {
  private static final int HOSTS_SHOWN = 3;

  private IngressColumns() {}

  static KindColumns ingress() {
    return KindColumns.of(List.of(
        TableColumn.string("Class", "The name of the IngressClass resource that should be used",
            o -> Cells.orNone(o.at("/spec/ingressClassName"))),
        TableColumn.string("Hosts", "Hosts that incoming requests are matched against before the ingress rule",
            IngressColumns::hosts),
        TableColumn.string("Address", "Address is a list containing ingress points for the load-balancer",
            IngressColumns::address),
        TableColumn.string("Ports", "Ports of TLS configurations that open",
            o -> o.at("/spec/tls").isEmpty() ? "80" : "80, 443")),
        List.of());
  }

  static KindColumns ingressClass() {
    return KindColumns.of(List.of(
        TableColumn.string("Controller", "Controller that is responsible for handling this class",
            o -> o.at("/spec/controller").asText("")),
        TableColumn.string("Parameters", "A reference to a resource with additional parameters",
            IngressColumns::parameters)),
        List.of());
  }

  /** The rules' hosts, "*" when no rule names one. */
  private static String hosts(JsonNode ingress) {
    List<String> hosts = new ArrayList<>();
    for (JsonNode rule : ingress.at("/spec/rules")) {
      if (!rule.path("host").asText("").isEmpty()) {
        hosts.add(rule.path("host").asText());
      }
    }
    return hosts.isEmpty() ? "*" : Cells.firstFew(hosts, HOSTS_SHOWN);
  }

  private static String address(JsonNode ingress) {
    List<String> addresses = new ArrayList<>();
    for (JsonNode point : ingress.at("/status/loadBalancer/ingress")) {
      String ip = point.path("ip").asText("");
      addresses.add(ip.isEmpty() ? point.path("hostname").asText("") : ip);
    }
    return String.join(",", addresses);
  }

  /** "Kind.apiGroup/name", as kubectl prints a typed reference. */
  private static String parameters(JsonNode ingressClass) {
    JsonNode p = ingressClass.at("/spec/parameters");
    if (p.isMissingNode() || p.isNull()) {
      return Cells.NONE;
    }
    String group = p.path("apiGroup").asText("");
    return p.path("kind").asText("") + (group.isEmpty() ? "" : "." + group) + "/" + p.path("name").asText("");
  }
}
