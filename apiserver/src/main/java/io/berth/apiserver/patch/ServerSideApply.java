package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.patch.ApplyConflictException.Conflict;
import io.berth.apiserver.patch.Shape.Struct;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply: a manager states the fields it cares about and the server merges
 * them in, tracking who owns what in metadata.managedFields.
 *
 * <ol>
 *   <li>A field the configuration sets to a value other than the live one, while another
 *       manager owns it, is a conflict; without force the apply fails, with force the
 *       applier takes the field over.
 *   <li>The configuration is merged into the live object ({@link ApplyMerge}).
 *   <li>Fields this manager applied last time and leaves out now are removed, unless
 *       another manager owns them (or, for a list item, anything in it).
 *   <li>The manager's Apply entry becomes exactly the fields it applied; every entry
 *       forgets fields no longer in the object.
 * </ol>
 */
final class ServerSideApply {
  private ServerSideApply() {}

  /**
   * The live object with {@code config} applied, managedFields included.
   *
   * @param live the stored object, or an empty object when the apply creates it
   * @param time the time to record, RFC 3339
   * @throws ApplyConflictException when fields other managers own would change and force is false
   */
  static ObjectNode apply(JsonNode live, ObjectNode config, Struct shape, String manager, boolean force,
      String time) {
    List<ManagedFieldsEntry> entries = ManagedFields.read(live);
    ManagedFieldsEntry previous = entries.stream()
        .filter(e -> e.is(manager, ManagedFieldsEntry.APPLY)).findFirst().orElse(null);
    List<ManagedFieldsEntry> others = new ArrayList<>(entries);
    others.remove(previous);
    Map<FieldPath, JsonNode> applied = FieldValues.of(config, shape);

    List<Conflict> conflicts = conflicts(FieldValues.of(live, shape), applied, others);
    if (!conflicts.isEmpty() && !force) {
      throw new ApplyConflictException(conflicts);
    }
    ObjectNode result = ApplyMerge.merge(live, config, shape);
    if (previous != null) {
      // Shortest first, so a list item goes as a whole before its key fields would be
      // removed one by one (which would leave an item no key can find).
      previous.fields().stream()
          .filter(dropped -> !applied.containsKey(dropped) && !dropped.isKeyFieldOfItem())
          .filter(dropped -> others.stream().noneMatch(e -> e.ownsAnythingUnder(dropped)))
          .sorted(Comparator.comparingInt(dropped -> dropped.elements().size()))
          .forEach(dropped -> FieldValues.remove(result, dropped, shape));
    }

    Set<FieldPath> present = FieldValues.of(result, shape).keySet();
    List<ManagedFieldsEntry> updated = new ArrayList<>();
    for (ManagedFieldsEntry e : entries) {
      if (e != previous) {
        Set<FieldPath> kept = new HashSet<>(e.fields());
        conflicts.stream().filter(c -> c.owner() == e).forEach(c -> kept.remove(c.path()));
        kept.retainAll(present);
        updated.add(e.withFields(kept));
      } else {
        updated.add(applierEntry(manager, config, applied, time));
      }
    }
    if (previous == null) {
      updated.add(applierEntry(manager, config, applied, time));
    }
    ManagedFields.write(result, updated);
    return result;
  }

  /** Each field the configuration changes that another manager owns, once per owner. */
  private static List<Conflict> conflicts(Map<FieldPath, JsonNode> live, Map<FieldPath, JsonNode> applied,
      List<ManagedFieldsEntry> others) {
    List<Conflict> conflicts = new ArrayList<>();
    applied.forEach((path, value) -> {
      JsonNode current = live.get(path);
      if (path.isItem() || current == null || JsonValues.same(current, value)) {
        return;
      }
      others.stream().filter(e -> e.fields().contains(path)).forEach(e -> conflicts.add(new Conflict(e, path)));
    });
    return conflicts;
  }

  private static ManagedFieldsEntry applierEntry(String manager, ObjectNode config, Map<FieldPath, JsonNode> applied,
      String time) {
    return new ManagedFieldsEntry(manager, ManagedFieldsEntry.APPLY, config.path("apiVersion").asText(""), time,
        applied.keySet());
  }
}
