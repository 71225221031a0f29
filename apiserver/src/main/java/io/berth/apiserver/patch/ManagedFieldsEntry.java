package io.berth.apiserver.patch;

import java.util.Set;

/**
 * One entry of metadata.managedFields: the fields one manager owns through one kind of
 * operation. "kubectl" applying and "kubectl" updating are two owners, as in Kubernetes.
 *
 * @param operation "Apply" or "Update"
 * @param time when the manager last changed what it owns, RFC 3339 to the second
 */
record ManagedFieldsEntry(String manager, String operation, String apiVersion, String time, Set<FieldPath> fields) {
  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  ManagedFieldsEntry {
    fields = Set.copyOf(fields);
  }

  boolean is(String manager, String operation) {
    return this.manager.equals(manager) && this.operation.equals(operation);
  }

  ManagedFieldsEntry withFields(Set<FieldPath> fields) {
    return new ManagedFieldsEntry(manager, operation, apiVersion, time, fields);
  }

  /** Whether this entry owns {@code path} or anything under it. */
  boolean ownsAnythingUnder(FieldPath path) {
    return fields.stream().anyMatch(f -> f.startsWith(path));
  }

  /** How a conflict message names the manager: {@code "kubectl" using apps/v1} for an update. */
  String describe() {
    return "\"" + manager + "\"" + (operation.equals(UPDATE) ? " using " + apiVersion : "");
  }
}
