package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Roles and ClusterRoles (NAME CREATED AT) and their bindings (NAME ROLE AGE; USERS GROUPS
 * SERVICEACCOUNTS with -o wide), as Kubernetes' printers lay them out.
 */
final class RbacColumns {
  private RbacColumns() {}

  static KindColumns role() {
    return KindColumns.exactly(List.of(
        new TableColumn("Name", "string", "name", "Name must be unique within a namespace.", 0,
            o -> o.at("/metadata/name").asText("")),
        new TableColumn("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time "
            + "when this object was created.", 0, o -> o.at("/metadata/creationTimestamp").asText(""))));
  }

  static KindColumns binding() {
    return KindColumns.of(List.of(
        TableColumn.string("Role", "RoleRef is the reference to the role the binding grants",
            o -> o.at("/roleRef/kind").asText("") + "/" + o.at("/roleRef/name").asText(""))),
        List.of(
            TableColumn.wide("Users", "Users in the binding", o -> subjects(o, "User")),
            TableColumn.wide("Groups", "Groups in the binding", o -> subjects(o, "Group")),
            TableColumn.wide("ServiceAccounts", "ServiceAccounts in the binding", o -> subjects(o, "ServiceAccount"))));
  }

  /** The subjects of one kind, comma separated; service accounts as namespace/name. */
  private static String subjects(JsonNode binding, String kind) {
    List<String> names = new ArrayList<>();
    for (JsonNode s : binding.path("subjects")) {
      if (kind.equals(s.path("kind").asText())) {
        String namespace = s.path("namespace").asText("");
        names.add(kind.equals("ServiceAccount") ? namespace + "/" + s.path("name").asText("")
            : s.path("name").asText(""));
      }
    }
    return String.join(", ", names);
  }
}
