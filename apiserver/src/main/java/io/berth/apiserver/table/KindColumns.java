package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of one kind's Table, as kube-apiserver's printers define them: NAME, the kind's
 * own columns, AGE, the few that come after AGE (a node's VERSION), then the wide ones
 * (priority 1, shown with {@code -o wide}). Events are the exception: they have no NAME or AGE
 * up front, only their own columns.
 *
 * @param nameAndAge whether NAME and AGE frame the kind's own columns
 */
record KindColumns(List<TableColumn> main, List<TableColumn> afterAge, List<TableColumn> wide, boolean nameAndAge) {
  private static final KindColumns NONE = of(List.of(), List.of());

  static KindColumns of(List<TableColumn> main, List<TableColumn> wide) {
    return new KindColumns(main, List.of(), wide, true);
  }

  static KindColumns withAfterAge(List<TableColumn> main, List<TableColumn> afterAge, List<TableColumn> wide) {
    return new KindColumns(main, afterAge, wide, true);
  }

  static KindColumns exactly(List<TableColumn> columns) {
    return new KindColumns(columns, List.of(), List.of(), false);
  }

  /** Every column of {@code kind}'s Table in order; NAME and AGE only for kinds without columns of their own. */
  static List<TableColumn> forKind(String kind, Ages ages) {
    KindColumns own = switch (kind) {
      case "Namespace" -> of(List.of(
          TableColumn.string("Status", "The status of the namespace", o -> o.at("/status/phase").asText(""))),
          List.of());
      case "ConfigMap" -> of(List.of(
          TableColumn.integer("Data", "Number of data entries", o -> o.path("data").size() + o.path("binaryData").size())),
          List.of());
      case "Secret" -> of(List.of(
          TableColumn.string("Type", "The type of the secret", o -> o.path("type").asText("")),
          TableColumn.integer("Data", "Number of data entries", o -> o.path("data").size())),
          List.of());
      case "Lease" -> of(List.of(
          TableColumn.string("Holder", "The holder of the lease", o -> o.at("/spec/holderIdentity").asText(""))),
          List.of());
      case "Pod" -> PodColumns.columns(ages);
      case "Node" -> NodeColumns.columns();
      case "Deployment" -> WorkloadColumns.deployment();
      case "ReplicaSet" -> WorkloadColumns.replicaSet();
      case "Service" -> ServiceColumns.service();
      case "Endpoints" -> ServiceColumns.endpoints();
      case "Ingress" -> IngressColumns.ingress();
      case "IngressClass" -> IngressColumns.ingressClass();
      case "Event" -> EventColumns.columns(ages);
      case "Role", "ClusterRole" -> RbacColumns.role();
      case "RoleBinding", "ClusterRoleBinding" -> RbacColumns.binding();
      default -> NONE;
    };
    return own.all(ages);
  }

  List<TableColumn> all(Ages ages) {
    if (!nameAndAge) {
      return main;
    }
    List<TableColumn> columns = new ArrayList<>();
    columns.add(new TableColumn("Name", "string", "name", "Name must be unique within a namespace.", 0,
        o -> o.at("/metadata/name").asText("")));
    columns.addAll(main);
    columns.add(TableColumn.string("Age", "CreationTimestamp is when the object was created.",
        (JsonNode o) -> ages.since(o.at("/metadata/creationTimestamp").asText(""))));
    columns.addAll(afterAge);
    columns.addAll(wide);
    return columns;
  }
}
