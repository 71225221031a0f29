package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Pods: READY STATUS RESTARTS, and wide IP NODE NOMINATED NODE READINESS GATES. */
final class PodColumns {
  private PodColumns() {}

  static KindColumns columns(Ages ages) {
    return KindColumns.of(List.of(
        TableColumn.string("Ready", "The aggregate readiness state of this pod for accepting traffic.",
            o -> PodStatus.of(o).ready()),
        TableColumn.string("Status", "The aggregate status of the containers in this pod.",
            o -> PodStatus.of(o).reason()),
        TableColumn.string("Restarts", "The number of times the containers in this pod have been restarted and "
            + "when the last container in this pod has restarted.", o -> PodStatus.of(o).restarts(ages))),
        List.of(
            TableColumn.wide("IP", "The IP address assigned to the pod", o -> Cells.orNone(o.at("/status/podIP"))),
            TableColumn.wide("Node", "The name of the node the pod is assigned to",
                o -> Cells.orNone(o.at("/spec/nodeName"))),
            TableColumn.wide("Nominated Node", "The node the scheduler nominated for this pod when preempting",
                o -> Cells.orNone(o.at("/status/nominatedNodeName"))),
            TableColumn.wide("Readiness Gates", "The readiness gates of this pod that are true, out of all",
                PodColumns::readinessGates)));
  }

  /** "<none>", or how many of the pod's readiness gates have a True condition, out of all of them. */
  private static String readinessGates(JsonNode pod) {
    JsonNode gates = pod.at("/spec/readinessGates");
    if (gates.isEmpty()) {
      return Cells.NONE;
    }
    int met = 0;
    for (JsonNode gate : gates) {
      for (JsonNode c : pod.at("/status/conditions")) {
        if (c.path("type").asText().equals(gate.path("conditionType").asText())
            && c.path("status").asText().equals("True")) {
          met++;
        }
      }
    }
    return met + "/" + gates.size();
  }
}
