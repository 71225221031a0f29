package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.patch.Shape.Atomic;
import io.berth.apiserver.patch.Shape.KeyedList;
import io.berth.apiserver.patch.Shape.SetList;
import io.berth.apiserver.patch.Shape.Struct;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An object seen as field managers own it: each owned path with its value. The paths
 * are the leaves (scalars, atomic lists and maps, empty maps), the items of keyed lists
 * (owned themselves, as FieldsV1's "." says, and through their fields) and the values
 * of set lists. What only the server sets (name, uid, resourceVersion, ...) is no
 * manager's, as in Kubernetes.
 */
final class FieldValues {
  private static final Set<FieldPath> SERVER_OWNED = Set.of(
      FieldPath.ROOT.field("apiVersion"), FieldPath.ROOT.field("kind"));
  private static final Set<String> SERVER_OWNED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
      "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
      "selfLink");

  private FieldValues() {}

  /** Every owned path of {@code object} with its value (an item's value is the item). */
  static Map<FieldPath, JsonNode> of(JsonNode object, Struct shape) {
    Map<FieldPath, JsonNode> values = new LinkedHashMap<>();
    walk(object, shape, FieldPath.ROOT, values);
    return values;
  }

  private static void walk(JsonNode value, Shape shape, FieldPath path, Map<FieldPath, JsonNode> out) {
    if (value == null || value.isNull() || isServerOwned(path)) {
      return;
    }
    if (value instanceof ObjectNode map && !map.isEmpty() && !(shape instanceof Atomic)) {
      Struct struct = shape instanceof Struct s ? s : Struct.ANY;
      map.fields().forEachRemaining(f -> walk(f.getValue(), struct.field(f.getKey()), path.field(f.getKey()), out));
    } else if (value instanceof ArrayNode list && shape instanceof KeyedList keyed && allMaps(list)) {
      for (JsonNode item : list) {
        FieldPath itemPath = path.key(keyed.identity(item));
        out.put(itemPath, item);
        item.fields().forEachRemaining(f ->
            walk(f.getValue(), keyed.element().field(f.getKey()), itemPath.field(f.getKey()), out));
      }
    } else if (value instanceof ArrayNode list && shape instanceof SetList) {
      list.forEach(item -> out.put(path.value(item), item));
    } else {
      out.put(path, value);
    }
  }

  /**
   * Removes what {@code path} names from {@code object}, if it is there: a field, a keyed
   * list item, or a value of a set list.
   */
  static void remove(ObjectNode object, FieldPath path, Struct shape) {
    JsonNode node = object;
    Shape nodeShape = shape;
    List<String> elements = path.elements();
    for (int i = 0; i < elements.size() - 1 && node != null; i++) {
      String element = elements.get(i);
      if (element.startsWith("f:")) {
        nodeShape = nodeShape instanceof Struct s ? s.field(element.substring(2)) : Struct.ANY;
        node = node.get(element.substring(2));
      } else {
        int index = indexOf(node, element, nodeShape);
        node = index < 0 ? null : node.get(index);
        nodeShape = nodeShape instanceof KeyedList keyed ? keyed.element() : Struct.ANY;
      }
    }
    String last = elements.get(elements.size() - 1);
    if (last.startsWith("f:") && node instanceof ObjectNode map) {
      map.remove(last.substring(2));
    } else if (node instanceof ArrayNode list) {
      int index = indexOf(list, last, nodeShape);
      if (index >= 0) {
        list.remove(index);
      }
    }
  }

  /** The index of the item a "k:" or "v:" element names in a list, or -1. */
  private static int indexOf(JsonNode list, String element, Shape shape) {
    if (!(list instanceof ArrayNode)) {
      return -1;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      FieldPath itemPath = shape instanceof KeyedList keyed && item.isObject()
          ? FieldPath.ROOT.key(keyed.identity(item)) : FieldPath.ROOT.value(item);
      if (itemPath.elements().get(0).equals(element)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isServerOwned(FieldPath path) {
    List<String> e = path.elements();
    return SERVER_OWNED.contains(path)
        || (e.size() == 2 && e.get(0).equals("f:metadata") && SERVER_OWNED_METADATA.contains(e.get(1).substring(2)));
  }

  private static boolean allMaps(ArrayNode list) {
    for (JsonNode item : list) {
      if (!item.isObject()) {
        return false;
      }
    }
    return true;
  }
}
