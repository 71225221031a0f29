package io.berth.apiserver.patch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A server-side apply that would change fields other managers own, with the conflicts
 * in kube-apiserver's words. One conflict: {@code Apply failed with 1 conflict: conflict
 * with "kubectl" using apps/v1: .spec.replicas}; several are listed per manager.
 */
final class ApplyConflictException extends RuntimeException {
  /** One field another manager owns with a different value. */
  record Conflict(ManagedFieldsEntry owner, FieldPath path) {}

  private final List<Conflict> conflicts;

  ApplyConflictException(List<Conflict> conflicts) {
    super(message(conflicts));
    this.conflicts = List.copyOf(conflicts);
  }

  List<Conflict> conflicts() {
    return conflicts;
  }

  private static String message(List<Conflict> conflicts) {
    if (conflicts.size() == 1) {
      Conflict c = conflicts.get(0);
      return "Apply failed with 1 conflict: conflict with " + c.owner().describe() + ": " + c.path();
    }
    Map<String, StringBuilder> byManager = new TreeMap<>();
    for (Conflict c : conflicts) {
      byManager.computeIfAbsent(c.owner().describe(), m -> new StringBuilder()).append("\n- ").append(c.path());
    }
    StringBuilder message = new StringBuilder("Apply failed with " + conflicts.size() + " conflicts: ");
    String separator = "";
    for (Map.Entry<String, StringBuilder> e : byManager.entrySet()) {
      message.append(separator).append("conflicts with ").append(e.getKey()).append(':').append(e.getValue());
      separator = "\n";
    }
    return message.toString();
  }
}
