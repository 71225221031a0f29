package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * metadata.managedFields read from and written to an object, FieldsV1 encoded as
 * Kubernetes encodes it: a tree of path elements ({@code f:}, {@code k:}, {@code v:})
 * whose leaves are {@code {}}, and {@code "."} marking a node owned itself when it also
 * has children (a keyed list item).
 */
final class ManagedFields {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ManagedFields() {}

  /** The entries of {@code object}; none when it has no managedFields. Entries without a manager are dropped. */
  static List<ManagedFieldsEntry> read(JsonNode object) {
    List<ManagedFieldsEntry> entries = new ArrayList<>();
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      String manager = entry.path("manager").asText("");
      if (manager.isEmpty()) {
        continue;
      }
      Set<FieldPath> fields = new HashSet<>();
      decode(entry.path("fieldsV1"), FieldPath.ROOT, fields);
      entries.add(new ManagedFieldsEntry(manager, entry.path("operation").asText(ManagedFieldsEntry.UPDATE),
          entry.path("apiVersion").asText(""), entry.path("time").asText(null), fields));
    }
    return entries;
  }

  /** Sets metadata.managedFields of {@code object} to {@code entries}, leaving out empty ones. */
  static void write(ObjectNode object, List<ManagedFieldsEntry> entries) {
    ArrayNode list = NODES.arrayNode();
    for (ManagedFieldsEntry e : entries) {
      if (e.fields().isEmpty()) {
        continue;
      }
      ObjectNode entry = list.addObject();
      entry.put("manager", e.manager());
      entry.put("operation", e.operation());
      entry.put("apiVersion", e.apiVersion());
      if (e.time() != null) {
        entry.put("time", e.time());
      }
      entry.put("fieldsType", "FieldsV1");
      entry.set("fieldsV1", encode(e.fields()));
    }
    ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    if (list.isEmpty()) {
      metadata.remove("managedFields");
    } else {
      metadata.set("managedFields", list);
    }
  }

  static ObjectNode encode(Set<FieldPath> fields) {
    Node root = new Node();
    for (FieldPath path : fields) {
      Node node = root;
      for (String element : path.elements()) {
        node = node.children.computeIfAbsent(element, e -> new Node());
      }
      node.owned = true;
    }
    return root.toJson();
  }

  private static void decode(JsonNode tree, FieldPath path, Set<FieldPath> into) {
    tree.fields().forEachRemaining(child -> {
      if (child.getKey().equals(".")) {
        into.add(path);
      } else if (child.getValue().isEmpty()) {
        into.add(path.child(child.getKey()));
      } else {
        decode(child.getValue(), path.child(child.getKey()), into);
      }
    });
  }

  /** A node of the FieldsV1 tree; children sorted, as Kubernetes writes them. */
  private static final class Node {
    final Map<String, Node> children = new TreeMap<>();
    boolean owned;

    ObjectNode toJson() {
      ObjectNode json = NODES.objectNode();
      if (owned && !children.isEmpty()) {
        json.putObject(".");
      }
      children.forEach((element, child) -> json.set(element, child.toJson()));
      return json;
    }
  }
}
