package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Nodes: STATUS ROLES VERSION, and wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
 * CONTAINER-RUNTIME.
 */
final class NodeColumns {
  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";

  private NodeColumns() {}

  static KindColumns columns() {
    return KindColumns.withAfterAge(List.of(
        TableColumn.string("Status", "The status of the node", NodeColumns::status),
        TableColumn.string("Roles", "The roles of the node", NodeColumns::roles)),
        List.of(TableColumn.string("Version", "Kubelet version", o -> o.at("/status/nodeInfo/kubeletVersion").asText(""))),
        List.of(
            TableColumn.wide("Internal-IP", "The node's internal IP address", o -> address(o, "InternalIP")),
            TableColumn.wide("External-IP", "The node's external IP address", o -> address(o, "ExternalIP")),
            TableColumn.wide("OS-Image", "The OS image reported by the node", o -> info(o, "osImage")),
            TableColumn.wide("Kernel-Version", "The kernel version reported by the node", o -> info(o, "kernelVersion")),
            TableColumn.wide("Container-Runtime", "The container runtime reported by the node",
                o -> info(o, "containerRuntimeVersion"))));
  }

  /**
   * Ready or NotReady by the Ready condition (NotReady also when it is Unknown: the node stopped
   * reporting), Unknown when there is no such condition; ",SchedulingDisabled" when cordoned.
   */
  static String status(JsonNode node) {
    List<String> parts = new ArrayList<>();
    for (JsonNode c : node.at("/status/conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        parts.add(c.path("status").asText().equals("True") ? "Ready" : "NotReady");
      }
    }
    if (parts.isEmpty()) {
      parts.add("Unknown");
    }
    if (node.at("/spec/unschedulable").asBoolean(false)) {
      parts.add("SchedulingDisabled");
    }
    return String.join(",", parts);
  }

  /** From the node-role.kubernetes.io/&lt;role&gt; label keys and the kubernetes.io/role label, sorted. */
  static String roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    node.at("/metadata/labels").properties().forEach(e -> {
      if (e.getKey().startsWith(ROLE_PREFIX) && e.getKey().length() > ROLE_PREFIX.length()) {
        roles.add(e.getKey().substring(ROLE_PREFIX.length()));
      } else if (e.getKey().equals("kubernetes.io/role") && !e.getValue().asText("").isEmpty()) {
        roles.add(e.getValue().asText());
      }
    });
    return Cells.orNone(new ArrayList<>(roles));
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.at("/status/addresses")) {
      if (a.path("type").asText().equals(type)) {
        return a.path("address").asText();
      }
    }
    return Cells.NONE;
  }

  private static String info(JsonNode node, String field) {
    String value = node.at("/status/nodeInfo/" + field).asText("");
    return value.isEmpty() ? Ages.UNKNOWN : value;
  }
}
