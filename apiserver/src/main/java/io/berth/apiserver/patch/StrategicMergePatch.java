package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.patch.Shape.KeyedList;
import io.berth.apiserver.patch.Shape.SetList;
import io.berth.apiserver.patch.Shape.Struct;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Strategic merge patch, {@code application/strategic-merge-patch+json}: a JSON merge
 * patch that knows, from the kind's {@link Shape}, which lists merge item by item (by
 * their merge key) or as sets instead of being replaced. What {@code kubectl patch}
 * sends by default, and {@code kubectl apply} (client-side) too.
 *
 * <p>Directives, as in Kubernetes' design (sig-api-machinery strategic-merge-patch.md):
 * <ul>
 *   <li>{@code "$patch": "replace"} in a map or as a list element: replace instead of merging;
 *   <li>{@code "$patch": "delete"} in a map (removes it) or in a keyed list element (removes that item);
 *   <li>{@code "$patch": "merge"}: the default, accepted;
 *   <li>{@code "$retainKeys": [...]}: fields of the live map not listed are cleared first;
 *   <li>{@code "$deleteFromPrimitiveList/<field>": [...]}: values removed from a set list;
 *   <li>{@code "$setElementOrder/<field>": [...]}: the order of the merged list.
 * </ul>
 */
public final class StrategicMergePatch {
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StrategicMergePatch() {}

  /**
   * The patched object; {@code original} is not modified.
   *
   * @param shape the shape of the object's kind, from {@link PatchSchemas#forKind}
   * @throws PatchFailure malformed directives or list items without their merge key (400);
   *     content outside $retainKeys (422)
   */
  public static ObjectNode apply(JsonNode original, ObjectNode patch, Struct shape) {
    ObjectNode base = original != null && original.isObject() ? ((ObjectNode) original).deepCopy() : NODES.objectNode();
    ObjectNode result = mergeObject(base, patch, shape);
    return result == null ? NODES.objectNode() : result;
  }

  /** Merges {@code patch} into {@code original} in place; null when the patch deletes the map. */
  private static ObjectNode mergeObject(ObjectNode original, ObjectNode patch, Struct shape) {
    switch (directive(patch)) {
      case "replace" -> {
        ObjectNode replacement = patch.deepCopy();
        replacement.remove(PATCH);
        return mergeObject(NODES.objectNode(), replacement, shape);
      }
      case "delete" -> {
        return null;
      }
      default -> { }
    }
    retainKeys(original, patch);
    for (String name : names(patch)) {
      if (name.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deleteFromList(original, name.substring(DELETE_FROM_PRIMITIVE_LIST.length()), patch.get(name));
      }
    }
    for (String name : names(patch)) {
      if (name.startsWith("$")) {
        continue;
      }
      JsonNode value = patch.get(name);
      JsonNode merged = value.isNull() ? null : mergeValue(original.get(name), value, shape.field(name));
      if (merged == null) {
        original.remove(name);
      } else {
        original.set(name, merged);
      }
    }
    for (String name : names(patch)) {
      if (name.startsWith(SET_ELEMENT_ORDER)) {
        String field = name.substring(SET_ELEMENT_ORDER.length());
        orderList(original, field, patch.get(name), shape.field(field));
      }
    }
    return original;
  }

  private static JsonNode mergeValue(JsonNode original, JsonNode patch, Shape shape) {
    if (patch instanceof ObjectNode map) {
      // Maps of structType atomic still merge here: strategic merge patch never knew them.
      ObjectNode base = original instanceof ObjectNode o ? o : NODES.objectNode();
      return mergeObject(base, map, shape instanceof Struct s ? s : Struct.ANY);
    }
    if (patch instanceof ArrayNode list) {
      ArrayNode base = original instanceof ArrayNode a ? a : NODES.arrayNode();
      return switch (shape) {
        case KeyedList keyed -> mergeKeyedList(base, list, keyed);
        case SetList set -> union(base, list);
        default -> list.deepCopy();
      };
    }
    return patch.deepCopy();
  }

  private static ArrayNode mergeKeyedList(ArrayNode original, ArrayNode patch, KeyedList shape) {
    for (JsonNode item : patch) {
      if (!item.isObject()) {
        throw PatchFailure.malformed("the list merged by \"" + shape.mergeKey() + "\" must hold maps, not " + item);
      }
    }
    boolean replace = false;
    for (JsonNode item : patch) {
      replace |= directive((ObjectNode) item).equals("replace") && item.size() == 1;
    }
    ArrayNode result = replace ? NODES.arrayNode() : original;
    for (JsonNode element : patch) {
      ObjectNode item = (ObjectNode) element;
      if (replace && item.size() == 1 && item.has(PATCH)) {
        continue;
      }
      JsonNode key = item.get(shape.mergeKey());
      if (key == null) {
        throw PatchFailure.malformed("map: " + item + " does not contain declared merge key: " + shape.mergeKey());
      }
      int index = indexOf(result, shape.mergeKey(), key);
      if (directive(item).equals("delete")) {
        // Every item with that key goes, as Kubernetes does for lists holding duplicates.
        for (; index >= 0; index = indexOf(result, shape.mergeKey(), key)) {
          result.remove(index);
        }
        continue;
      }
      ObjectNode base = index >= 0 ? (ObjectNode) result.get(index) : NODES.objectNode();
      ObjectNode merged = mergeObject(base, item, shape.element());
      if (merged != null && index < 0) {
        result.add(merged);
      } else if (merged != null) {
        result.set(index, merged);
      } else if (index >= 0) {
        result.remove(index);
      }
    }
    return result;
  }

  /** The values of both lists, each once, live ones first. */
  private static ArrayNode union(ArrayNode original, ArrayNode patch) {
    ArrayNode result = NODES.arrayNode();
    for (JsonNode value : original) {
      addIfAbsent(result, value);
    }
    for (JsonNode value : patch) {
      addIfAbsent(result, value);
    }
    return result;
  }

  /** $retainKeys: the live map keeps only the listed fields, and the patch may set no others. */
  private static void retainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    Set<String> keep = strings(retain, RETAIN_KEYS);
    for (String name : names(patch)) {
      if (!name.startsWith("$") && !patch.get(name).isNull() && !keep.contains(name)) {
        throw PatchFailure.notApplicable("doesn't match the retainKeys list: patch sets \"" + name
            + "\" but $retainKeys does not name it");
      }
    }
    original.retain(keep);
  }

  private static void deleteFromList(ObjectNode original, String field, JsonNode values) {
    if (!values.isArray()) {
      throw PatchFailure.malformed(DELETE_FROM_PRIMITIVE_LIST + field + " must be a list");
    }
    if (original.get(field) instanceof ArrayNode list) {
      for (int i = list.size() - 1; i >= 0; i--) {
        if (contains(values, list.get(i))) {
          list.remove(i);
        }
      }
    }
  }

  /**
   * $setElementOrder: the items the order names come first, in its order; the others
   * (present only on the server) follow in their current order. Kubernetes interleaves
   * server-only items by their old position instead; for the lists kubectl sends the
   * order for (it names every item it knows), the results agree.
   */
  private static void orderList(ObjectNode original, String field, JsonNode order, Shape shape) {
    if (!order.isArray()) {
      throw PatchFailure.malformed(SET_ELEMENT_ORDER + field + " must be a list");
    }
    if (!(original.get(field) instanceof ArrayNode list)) {
      return;
    }
    String key = shape instanceof KeyedList keyed ? keyed.mergeKey() : null;
    List<JsonNode> remaining = new ArrayList<>();
    list.forEach(remaining::add);
    ArrayNode ordered = NODES.arrayNode();
    for (JsonNode wanted : order) {
      JsonNode id = key == null ? wanted : wanted.get(key);
      if (id == null) {
        throw PatchFailure.malformed(SET_ELEMENT_ORDER + field + " item " + wanted + " has no merge key " + key);
      }
      for (int i = 0; i < remaining.size(); i++) {
        JsonNode item = remaining.get(i);
        if (JsonValues.same(id, key == null ? item : item.get(key))) {
          ordered.add(remaining.remove(i));
          break;
        }
      }
    }
    remaining.forEach(ordered::add);
    original.set(field, ordered);
  }

  /** The map's $patch directive, "merge" when it has none. */
  private static String directive(ObjectNode map) {
    JsonNode directive = map.get(PATCH);
    if (directive == null) {
      return "merge";
    }
    String value = directive.asText();
    if (!directive.isTextual() || !Set.of("replace", "delete", "merge").contains(value)) {
      throw PatchFailure.malformed("Unsupported strategic merge patch format: unknown $patch directive " + directive);
    }
    return value;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (JsonValues.same(list.get(i).get(key), value)) {
        return i;
      }
    }
    return -1;
  }

  private static void addIfAbsent(ArrayNode list, JsonNode value) {
    if (!contains(list, value)) {
      list.add(value.deepCopy());
    }
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    for (JsonNode item : list) {
      if (JsonValues.same(item, value)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> strings(JsonNode list, String directive) {
    Set<String> result = new HashSet<>();
    if (!list.isArray()) {
      throw PatchFailure.malformed(directive + " must be a list of field names");
    }
    for (JsonNode item : list) {
      if (!item.isTextual()) {
        throw PatchFailure.malformed(directive + " must be a list of field names");
      }
      result.add(item.asText());
    }
    return result;
  }

  private static List<String> names(ObjectNode map) {
    List<String> names = new ArrayList<>();
    map.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
