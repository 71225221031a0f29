package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.patch.Shape.Struct;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * managedFields after a write that is not an apply (create, update, a patch of another
 * type): such writes never conflict. The writer becomes an owner (operation Update) of
 * every field it added or changed, and other managers lose those fields, which is how
 * a later apply by them learns that someone else changed them.
 */
final class UpdateOwnership {
  private UpdateOwnership() {}

  /**
   * Sets the managedFields of {@code updated}, computed from those of {@code old}; any
   * managedFields the writer sent are ignored.
   *
   * @param old the object before the write; an empty object for a create
   * @param time the time to record, RFC 3339
   */
  static void record(JsonNode old, ObjectNode updated, String manager, Struct shape, String time) {
    Map<FieldPath, JsonNode> before = FieldValues.of(old, shape);
    Map<FieldPath, JsonNode> after = FieldValues.of(updated, shape);
    Set<FieldPath> changed = new HashSet<>();
    after.forEach((path, value) -> {
      if (!JsonValues.same(before.get(path), value)) {
        changed.add(path);
      }
    });

    List<ManagedFieldsEntry> entries = new ArrayList<>();
    ManagedFieldsEntry mine = null;
    for (ManagedFieldsEntry e : ManagedFields.read(old)) {
      Set<FieldPath> kept = new HashSet<>(e.fields());
      kept.retainAll(after.keySet());
      if (e.is(manager, ManagedFieldsEntry.UPDATE)) {
        mine = e.withFields(kept);
        entries.add(mine);
      } else {
        kept.removeAll(changed);
        entries.add(e.withFields(kept));
      }
    }
    if (!changed.isEmpty()) {
      Set<FieldPath> owned = new HashSet<>(changed);
      if (mine != null) {
        owned.addAll(mine.fields());
      }
      ManagedFieldsEntry entry = new ManagedFieldsEntry(manager, ManagedFieldsEntry.UPDATE,
          updated.path("apiVersion").asText(""), time, owned);
      if (mine == null) {
        entries.add(entry);
      } else {
        entries.set(entries.indexOf(mine), entry);
      }
    }
    ManagedFields.write(updated, entries);
  }
}
