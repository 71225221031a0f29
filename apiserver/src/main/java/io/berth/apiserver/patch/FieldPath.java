package io.berth.apiserver.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The path to one field of an object, as managedFields' FieldsV1 spells its steps:
 * {@code f:spec} a field, {@code k:{"name":"nginx"}} the item of a keyed list with that
 * key, {@code v:"a"} the value of a set list. {@link #toString} gives the form
 * kube-apiserver prints in apply conflicts: {@code .spec.containers[name="nginx"].image}.
 */
record FieldPath(List<String> elements) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final FieldPath ROOT = new FieldPath(List.of());

  FieldPath {
    elements = List.copyOf(elements);
  }

  FieldPath field(String name) {
    return child("f:" + name);
  }

  /** The keyed-list item with this identity; key fields sorted by name, as Kubernetes writes them. */
  FieldPath key(ObjectNode identity) {
    ObjectNode sorted = JSON.createObjectNode();
    List<String> names = new ArrayList<>();
    identity.fieldNames().forEachRemaining(names::add);
    names.stream().sorted().forEach(n -> sorted.set(n, identity.get(n)));
    return child("k:" + write(sorted));
  }

  FieldPath value(JsonNode value) {
    return child("v:" + write(value));
  }

  FieldPath child(String element) {
    List<String> longer = new ArrayList<>(elements);
    longer.add(element);
    return new FieldPath(longer);
  }

  /** Whether this path is {@code prefix} or lies under it. */
  boolean startsWith(FieldPath prefix) {
    return elements.size() >= prefix.elements.size()
        && elements.subList(0, prefix.elements.size()).equals(prefix.elements);
  }

  /** Whether this names a list item (keyed or set) rather than a field. */
  boolean isItem() {
    return !elements.isEmpty() && !elements.get(elements.size() - 1).startsWith("f:");
  }

  /** Whether this is a key field of a keyed list item, e.g. the name in .containers[name="a"].name. */
  boolean isKeyFieldOfItem() {
    int n = elements.size();
    return n >= 2 && elements.get(n - 1).startsWith("f:") && elements.get(n - 2).startsWith("k:")
        && read(elements.get(n - 2).substring(2)).has(elements.get(n - 1).substring(2));
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (String element : elements) {
      String body = element.substring(2);
      switch (element.charAt(0)) {
        case 'f' -> out.append('.').append(body);
        case 'v' -> out.append("[=").append(body).append(']');
        default -> {
          out.append('[');
          Iterator<Map.Entry<String, JsonNode>> keys = read(body).fields();
          while (keys.hasNext()) {
            Map.Entry<String, JsonNode> key = keys.next();
            out.append(key.getKey()).append('=').append(write(key.getValue())).append(keys.hasNext() ? "," : "");
          }
          out.append(']');
        }
      }
    }
    return out.toString();
  }

  static String write(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw PatchFailure.malformed("invalid managedFields element " + json);
    }
  }
}
