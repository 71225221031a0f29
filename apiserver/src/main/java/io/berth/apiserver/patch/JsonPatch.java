package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON patch (RFC 6902), {@code application/json-patch+json}: a list of add, remove,
 * replace, move, copy and test operations on JSON pointers, applied in order, all or
 * nothing. What {@code kubectl patch --type=json} sends.
 *
 * <p>Written here rather than taken from a library: Jackson has none, the usual Java
 * one (java-json-tools json-patch) is unmaintained, and the RFC fits in this class.
 */
public final class JsonPatch {
  private JsonNode document;

  private JsonPatch(JsonNode document) {
    this.document = document;
  }

  /**
   * The patched document; {@code target} is not modified.
   *
   * @param operations a JSON array of operation objects
   * @throws PatchFailure when an operation is malformed or does not apply (a missing
   *     path, an index out of range, a failed test); no partial result is returned
   */
  public static JsonNode apply(JsonNode target, ArrayNode operations) {
    JsonPatch patch = new JsonPatch(target.deepCopy());
    for (JsonNode operation : operations) {
      patch.perform(operation);
    }
    return patch.document;
  }

  private void perform(JsonNode operation) {
    if (!operation.isObject()) {
      throw PatchFailure.notApplicable("a JSON patch operation must be an object, not " + operation);
    }
    String op = text(operation, "op");
    JsonPointer path = JsonPointer.parse(text(operation, "path"));
    switch (op) {
      case "add" -> add(path, value(operation, op));
      case "remove" -> remove(path, op);
      case "replace" -> replace(path, value(operation, op));
      case "move" -> move(JsonPointer.parse(text(operation, "from")), path);
      case "copy" -> add(path, resolve(JsonPointer.parse(text(operation, "from")), op).deepCopy());
      case "test" -> test(path, value(operation, op));
      default -> throw PatchFailure.notApplicable("unknown JSON patch operation \"" + op + "\"");
    }
  }

  private void add(JsonPointer path, JsonNode value) {
    if (path.isRoot()) {
      document = value;
      return;
    }
    JsonNode parent = resolve(path.parent(), "add");
    if (parent instanceof ObjectNode object) {
      object.set(path.last(), value);
    } else if (parent instanceof ArrayNode array) {
      int index = path.last().equals("-") ? array.size() : index(path, array.size(), "add");
      array.insert(index, value);
    } else {
      throw PatchFailure.notApplicable("add operation does not apply: " + path.parent() + " is not an object or array");
    }
  }

  private JsonNode remove(JsonPointer path, String op) {
    if (path.isRoot()) {
      throw PatchFailure.notApplicable(op + " operation does not apply: the whole document cannot be removed");
    }
    JsonNode parent = resolve(path.parent(), op);
    if (parent instanceof ObjectNode object && object.has(path.last())) {
      return object.remove(path.last());
    }
    if (parent instanceof ArrayNode array) {
      return array.remove(index(path, array.size() - 1, op));
    }
    throw PatchFailure.notApplicable(op + " operation does not apply: doc is missing path: \"" + path + "\"");
  }

  private void replace(JsonPointer path, JsonNode value) {
    if (path.isRoot()) {
      document = value;
      return;
    }
    JsonNode parent = resolve(path.parent(), "replace");
    if (parent instanceof ArrayNode array) {
      array.set(index(path, array.size() - 1, "replace"), value);
    } else if (parent instanceof ObjectNode object && object.has(path.last())) {
      object.set(path.last(), value);
    } else {
      throw PatchFailure.notApplicable("replace operation does not apply: doc is missing key: \"" + path + "\"");
    }
  }

  private void move(JsonPointer from, JsonPointer path) {
    if (from.isProperPrefixOf(path)) {
      throw PatchFailure.notApplicable("move operation does not apply: \"" + path + "\" is inside \"" + from + "\"");
    }
    if (!from.equals(path)) {
      add(path, remove(from, "move"));
    }
  }

  private void test(JsonPointer path, JsonNode expected) {
    if (!JsonValues.same(resolve(path, "test"), expected)) {
      throw PatchFailure.notApplicable("testing value " + path + " failed: test failed");
    }
  }

  /** The node at {@code path}, which must exist. */
  private JsonNode resolve(JsonPointer path, String op) {
    JsonNode node = document;
    for (int i = 0; i < path.tokens().size(); i++) {
      String token = path.tokens().get(i);
      JsonNode next = null;
      if (node.isObject()) {
        next = node.get(token);
      } else if (node.isArray() && isIndex(token) && Integer.parseInt(token) < node.size()) {
        next = node.get(Integer.parseInt(token));
      }
      if (next == null) {
        throw PatchFailure.notApplicable(op + " operation does not apply: doc is missing path: \"" + path + "\"");
      }
      node = next;
    }
    return node;
  }

  /** The array index the last token names, at most {@code max}. */
  private static int index(JsonPointer path, int max, String op) {
    String token = path.last();
    if (!isIndex(token) || Long.parseLong(token) > max) {
      throw PatchFailure.notApplicable(op + " operation does not apply: index " + token + " of \"" + path
          + "\" is out of bounds");
    }
    return Integer.parseInt(token);
  }

  /** RFC 6901: "0" or digits without a leading zero; short enough to be an int. */
  private static boolean isIndex(String token) {
    return token.matches("0|[1-9][0-9]{0,8}");
  }

  private static String text(JsonNode operation, String member) {
    JsonNode value = operation.get(member);
    if (value == null || !value.isTextual()) {
      throw PatchFailure.notApplicable("JSON patch operation " + operation + " has no \"" + member + "\" string");
    }
    return value.asText();
  }

  /** The operation's value, which may be JSON null but must be there. */
  private static JsonNode value(JsonNode operation, String op) {
    JsonNode value = operation.get("value");
    if (value == null) {
      throw PatchFailure.notApplicable(op + " operation " + operation + " has no \"value\"");
    }
    return value.deepCopy();
  }
}
