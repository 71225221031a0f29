package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The columns each kind prints between NAME and AGE, and the wide ones (priority 1,
 * shown with {@code -o wide}) after AGE, as kube-apiserver's printers define them.
 *
 * @param wide columns shown only with -o wide
 */
record KindColumns(List<TableColumn> main, List<TableColumn> wide) {
  static final KindColumns NONE = new KindColumns(List.of(), List.of());

  static final Map<String, KindColumns> BY_KIND = Map.of(
      "Namespace", new KindColumns(List.of(
          TableColumn.string("Status", "The status of the namespace", o -> o.at("/status/phase").asText(""))),
          List.of()),
      "ConfigMap", new KindColumns(List.of(
          TableColumn.integer("Data", "Number of data entries",
              o -> o.path("data").size() + o.path("binaryData").size())),
          List.of()),
      "Secret", new KindColumns(List.of(
          TableColumn.string("Type", "The type of the secret", o -> o.path("type").asText("")),
          TableColumn.integer("Data", "Number of data entries", o -> o.path("data").size())),
          List.of()),
      "Pod", new KindColumns(List.of(
          TableColumn.string("Ready", "The aggregate readiness state of this pod for accepting traffic.",
              KindColumns::podReady),
          TableColumn.string("Status", "The aggregate status of the containers in this pod.",
              o -> o.at("/status/phase").asText("Pending")),
          TableColumn.integer("Restarts", "The number of times the containers in this pod have been restarted.",
              KindColumns::podRestarts)),
          List.of(
              TableColumn.wide("IP", "The IP address assigned to the pod", o -> orNone(o.at("/status/podIP"))),
              TableColumn.wide("Node", "The name of the node the pod is assigned to",
                  o -> orNone(o.at("/spec/nodeName"))))),
      "Service", new KindColumns(List.of(
          TableColumn.string("Type", "The type of the service", o -> o.at("/spec/type").asText("ClusterIP")),
          TableColumn.string("Cluster-IP", "The cluster IP of the service", o -> orNone(o.at("/spec/clusterIP"))),
          TableColumn.string("External-IP", "The external IPs of the service", o -> externalIps(o)),
          TableColumn.string("Port(s)", "The ports the service exposes", KindColumns::servicePorts)),
          List.of(TableColumn.wide("Selector", "The label selector of the service",
              o -> selector(o.at("/spec/selector"))))),
      "Deployment", new KindColumns(List.of(
          TableColumn.string("Ready", "Number of ready replicas out of the desired ones",
              o -> o.at("/status/readyReplicas").asInt(0) + "/" + o.at("/spec/replicas").asInt(1)),
          TableColumn.integer("Up-to-date", "Total number of non-terminated pods with the desired template",
              o -> o.at("/status/updatedReplicas").asInt(0)),
          TableColumn.integer("Available", "Number of available replicas",
              o -> o.at("/status/availableReplicas").asInt(0))),
          List.of(
              TableColumn.wide("Containers", "Names of the containers",
                  o -> join(o.at("/spec/template/spec/containers"), "name")),
              TableColumn.wide("Images", "Images of the containers",
                  o -> join(o.at("/spec/template/spec/containers"), "image")),
              TableColumn.wide("Selector", "The label selector of the deployment",
                  o -> selector(o.at("/spec/selector/matchLabels"))))));

  static KindColumns of(String kind) {
    return BY_KIND.getOrDefault(kind, NONE);
  }

  private static String podReady(JsonNode pod) {
    int total = pod.at("/spec/containers").size();
    int ready = 0;
    for (JsonNode status : pod.at("/status/containerStatuses")) {
      if (status.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  private static int podRestarts(JsonNode pod) {
    int restarts = 0;
    for (JsonNode status : pod.at("/status/containerStatuses")) {
      restarts += status.path("restartCount").asInt(0);
    }
    return restarts;
  }

  private static String servicePorts(JsonNode service) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : service.at("/spec/ports")) {
      String nodePort = p.has("nodePort") ? ":" + p.get("nodePort").asInt() : "";
      ports.add(p.path("port").asInt() + nodePort + "/" + p.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String externalIps(JsonNode service) {
    List<String> ips = new ArrayList<>();
    service.at("/spec/externalIPs").forEach(ip -> ips.add(ip.asText()));
    return ips.isEmpty() ? "<none>" : String.join(",", ips);
  }

  private static String selector(JsonNode labels) {
    List<String> pairs = new ArrayList<>();
    labels.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
  }

  private static String join(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(item -> values.add(item.path(field).asText("")));
    return String.join(",", values);
  }

  private static String orNone(JsonNode value) {
    return value.isMissingNode() || value.asText("").isEmpty() ? "<none>" : value.asText();
  }
}
