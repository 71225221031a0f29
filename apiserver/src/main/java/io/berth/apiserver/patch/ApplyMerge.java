package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.patch.Shape.Atomic;
import io.berth.apiserver.patch.Shape.KeyedList;
import io.berth.apiserver.patch.Shape.SetList;
import io.berth.apiserver.patch.Shape.Struct;

/**
 * An applied configuration merged into the live object, as server-side apply merges
 * it: maps field by field, keyed lists item by item (matched on all their keys, with
 * defaults), set lists as sets, everything atomic replaced. No directives, and a null in
 * the configuration is ignored: apply removes a field when its manager stops applying it,
 * not when it says null.
 */
final class ApplyMerge {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApplyMerge() {}

  /** The merged object; neither argument is modified. */
  static ObjectNode merge(JsonNode live, ObjectNode config, Struct shape) {
    return (ObjectNode) merge((JsonNode) live, config, (Shape) shape);
  }

  private static JsonNode merge(JsonNode live, JsonNode config, Shape shape) {
    if (config instanceof ObjectNode map && !(shape instanceof Atomic)) {
      Struct struct = shape instanceof Struct s ? s : Struct.ANY;
      ObjectNode result = live instanceof ObjectNode l ? l.deepCopy() : NODES.objectNode();
      map.fields().forEachRemaining(f -> {
        if (!f.getValue().isNull()) {
          result.set(f.getKey(), merge(result.get(f.getKey()), f.getValue(), struct.field(f.getKey())));
        }
      });
      return result;
    }
    if (config instanceof ArrayNode list && live instanceof ArrayNode current) {
      if (shape instanceof KeyedList keyed) {
        return mergeKeyed(current, list, keyed);
      }
      if (shape instanceof SetList) {
        ArrayNode result = current.deepCopy();
        list.forEach(v -> {
          if (!contains(result, v)) {
            result.add(v.deepCopy());
          }
        });
        return result;
      }
    }
    return config.deepCopy();
  }

  private static ArrayNode mergeKeyed(ArrayNode live, ArrayNode config, KeyedList shape) {
    ArrayNode result = live.deepCopy();
    for (JsonNode item : config) {
      if (!item.isObject()) {
        return config.deepCopy();
      }
      int index = -1;
      for (int i = 0; i < result.size() && index < 0; i++) {
        if (result.get(i).isObject() && JsonValues.same(shape.identity(result.get(i)), shape.identity(item))) {
          index = i;
        }
      }
      if (index < 0) {
        result.add(merge(null, item, shape.element()));
      } else {
        result.set(index, merge(result.get(index), item, shape.element()));
      }
    }
    return result;
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode item : list) {
      if (JsonValues.same(item, value)) {
        return true;
      }
    }
    return false;
  }
}
