package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Services (TYPE CLUSTER-IP EXTERNAL-IP PORT(S), wide SELECTOR) and Endpoints (ENDPOINTS). */
final class ServiceColumns {
  /** kubectl shows the first three endpoints and counts the rest. */
  private static final int ENDPOINTS_SHOWN = 3;

  private ServiceColumns() {}

  static KindColumns service() {
    return KindColumns.of(List.of(
        TableColumn.string("Type", "The type of the service", o -> o.at("/spec/type").asText("ClusterIP")),
        TableColumn.string("Cluster-IP", "The cluster IP of the service", ServiceColumns::clusterIp),
        TableColumn.string("External-IP", "The external IPs of the service", ServiceColumns::externalIp),
        TableColumn.string("Port(s)", "The ports the service exposes", ServiceColumns::ports)),
        List.of(TableColumn.wide("Selector", "The label selector of the service",
            o -> Cells.labels(o.at("/spec/selector")))));
  }

  static KindColumns endpoints() {
    return KindColumns.of(List.of(
        TableColumn.string("Endpoints", "Endpoints of the service", ServiceColumns::endpointList)), List.of());
  }

  private static String clusterIp(JsonNode service) {
    return service.at("/spec/type").asText("").equals("ExternalName") ? Cells.NONE
        : Cells.orNone(service.at("/spec/clusterIP"));
  }

  /**
   * An ExternalName service's name; a LoadBalancer's ingress addresses and external IPs, or
   * "&lt;pending&gt;" until it has some; otherwise the external IPs.
   */
  private static String externalIp(JsonNode service) {
    String type = service.at("/spec/type").asText("ClusterIP");
    List<String> ips = new ArrayList<>();
    if (type.equals("ExternalName")) {
      return service.at("/spec/externalName").asText("");
    }
    if (type.equals("LoadBalancer")) {
      for (JsonNode ingress : service.at("/status/loadBalancer/ingress")) {
        ips.add(ingress.path("ip").asText("").isEmpty() ? ingress.path("hostname").asText("") : ingress.path("ip").asText());
      }
      service.at("/spec/externalIPs").forEach(ip -> ips.add(ip.asText()));
      return ips.isEmpty() ? "<pending>" : String.join(",", ips);
    }
    service.at("/spec/externalIPs").forEach(ip -> ips.add(ip.asText()));
    return Cells.orNone(ips);
  }

  /** "80/TCP", "80:30080/TCP" with a node port, comma-joined. */
  private static String ports(JsonNode service) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : service.at("/spec/ports")) {
      String nodePort = p.path("nodePort").asInt(0) != 0 ? ":" + p.get("nodePort").asInt() : "";
      ports.add(p.path("port").asInt() + nodePort + "/" + p.path("protocol").asText("TCP"));
    }
    return Cells.orNone(ports);
  }

  /** Ready addresses with each port ("10.0.0.5:8080"), or bare addresses when there are no ports. */
  private static String endpointList(JsonNode endpoints) {
    List<String> all = new ArrayList<>();
    for (JsonNode subset : endpoints.path("subsets")) {
      for (JsonNode address : subset.path("addresses")) {
        String ip = address.path("ip").asText();
        if (subset.path("ports").isEmpty()) {
          all.add(ip);
        }
        for (JsonNode port : subset.path("ports")) {
          all.add(ip + ":" + port.path("port").asInt());
        }
      }
    }
    return all.isEmpty() ? Cells.NONE : Cells.firstFew(all, ENDPOINTS_SHOWN);
  }
}
