package io.berth.apiserver.table;

import java.util.List;

/**
 * Deployments (READY UP-TO-DATE AVAILABLE) and ReplicaSets (DESIRED CURRENT READY), both with
 * wide CONTAINERS IMAGES SELECTOR from their pod template.
 */
final class WorkloadColumns {
  private WorkloadColumns() {}

  static KindColumns deployment() {
    return KindColumns.of(List.of(
        TableColumn.string("Ready", "Number of the pod with ready state",
            o -> o.at("/status/readyReplicas").asInt(0) + "/" + o.at("/spec/replicas").asInt(1)),
        TableColumn.integer("Up-to-date", "Total number of non-terminated pods targeted by this deployment that "
            + "have the desired template spec.", o -> o.at("/status/updatedReplicas").asInt(0)),
        TableColumn.integer("Available", "Total number of available pods (ready for at least minReadySeconds) "
            + "targeted by this deployment.", o -> o.at("/status/availableReplicas").asInt(0))),
        template());
  }

  static KindColumns replicaSet() {
    return KindColumns.of(List.of(
        TableColumn.integer("Desired", "Number of desired pods", o -> o.at("/spec/replicas").asInt(1)),
        TableColumn.integer("Current", "Number of actual replicas", o -> o.at("/status/replicas").asInt(0)),
        TableColumn.integer("Ready", "Number of ready replicas", o -> o.at("/status/readyReplicas").asInt(0))),
        template());
  }

  private static List<TableColumn> template() {
    return List.of(
        TableColumn.wide("Containers", "Names of each container in the template.",
            o -> Cells.join(o.at("/spec/template/spec/containers"), "name")),
        TableColumn.wide("Images", "Images referenced by each container in the template.",
            o -> Cells.join(o.at("/spec/template/spec/containers"), "image")),
        TableColumn.wide("Selector", "Label selector for pods.", o -> Cells.selector(o.at("/spec/selector"))));
  }
}
