package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What a patch needs to know about one field of a kind: how its value merges. This is
 * the information Kubernetes declares with patchStrategy/patchMergeKey tags (strategic
 * merge patch) and listType/listMapKey/structType markers (server-side apply) in
 * k8s.io/api. Anything not declared is an {@link Struct#ANY} map, merged field by
 * field, whose lists are atomic, which is Kubernetes' default as well.
 */
public sealed interface Shape {

  /**
   * A map or struct, merged field by field.
   *
   * @param fields the fields that merge in a particular way; others are {@link #ANY}
   * @param retainKeys whether a strategic merge patch clears the fields it does not name
   *     (patchStrategy retainKeys: a Volume's source, a Deployment's strategy)
   */
  record Struct(Map<String, Shape> fields, boolean retainKeys) implements Shape {
    public static final Struct ANY = new Struct(Map.of(), false);

    public Struct {
      fields = Map.copyOf(fields);
    }

    public Shape field(String name) {
      return fields.getOrDefault(name, ANY);
    }
  }

  /**
   * A list of objects merged item by item, items matched by their keys (patchMergeKey /
   * listMapKey). A strategic merge patch matches on the first key alone, as Kubernetes'
   * patchMergeKey names one field; server-side apply matches on all of them, a missing
   * key field taking its default (a container port's protocol is TCP).
   */
  record KeyedList(List<Key> keys, Struct element) implements Shape {
    public KeyedList {
      keys = List.copyOf(keys);
    }

    /** The patchMergeKey of strategic merge patch. */
    public String mergeKey() {
      return keys.get(0).name();
    }

    /** The identity of an item for server-side apply, e.g. {"containerPort":80,"protocol":"TCP"}. */
    public ObjectNode identity(JsonNode item) {
      ObjectNode id = JsonNodeFactory.instance.objectNode();
      for (Key key : keys) {
        JsonNode value = item.get(key.name());
        if (value != null && !value.isNull()) {
          id.set(key.name(), value);
        } else if (key.defaultValue() != null) {
          id.set(key.name(), key.defaultValue());
        }
      }
      return id;
    }
  }

  /** A key field of a {@link KeyedList} and its default, or null when it has none. */
  record Key(String name, JsonNode defaultValue) {}

  /** A list of scalars merged as a set (patchStrategy merge, listType set): finalizers, podCIDRs. */
  record SetList() implements Shape {}

  /** A value replaced as a whole: a list without a patch strategy, or a map of structType atomic. */
  record Atomic() implements Shape {}
}
