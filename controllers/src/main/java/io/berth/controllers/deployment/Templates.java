package io.berth.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pod templates as the Deployment controller compares and names them: equality ignores
 * the pod-template-hash label and treats absent, null and empty fields alike (as Kubernetes'
 * semantic equality does); the hash is FNV-1a (32 bits) of the template's canonical JSON
 * (keys sorted, empty fields left out) and the collision count, spelt in an alphabet with
 * no vowels (so no words) and no easily confused characters.
 */
public final class Templates {
  public static final String HASH_LABEL = "pod-template-hash";
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private Templates() {}

  /** The hash that names a Deployment's ReplicaSet for this template. */
  public static String hash(PodTemplateSpec template, Integer collisionCount) {
    int hash = 0x811c9dc5;
    byte[] text = canonical(template).getBytes(StandardCharsets.UTF_8);
    for (byte b : text) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    if (collisionCount != null) {
      for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8)) {
        hash ^= b & 0xff;
        hash *= 0x01000193;
      }
    }
    return spell(Integer.toUnsignedLong(hash));
  }

  /** Whether two templates are the same but for the pod-template-hash label. */
  public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
    return canonical(a).equals(canonical(b));
  }

  /** The template without the pod-template-hash label (what a Deployment's template looks like). */
  public static PodTemplateSpec withoutHash(PodTemplateSpec template) {
    JsonNode tree = Json.MAPPER.valueToTree(template);
    if (tree.path("metadata").path("labels") instanceof ObjectNode labels) {
      labels.remove(HASH_LABEL);
    }
    return Json.MAPPER.convertValue(tree, PodTemplateSpec.class);
  }

  static String canonical(PodTemplateSpec template) {
    JsonNode tree = Json.MAPPER.valueToTree(template);
    if (tree.path("metadata").path("labels") instanceof ObjectNode labels) {
      labels.remove(HASH_LABEL);
    }
    JsonNode pruned = prune(tree);
    try {
      return Json.MAPPER.writeValueAsString(pruned == null ? Json.MAPPER.createObjectNode() : pruned);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The node with object keys sorted and nulls, empty objects and empty arrays removed; null if nothing is left. */
  private static JsonNode prune(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode value = prune(field.getValue());
        if (value != null) {
          sorted.put(field.getKey(), value);
        }
      }
      if (sorted.isEmpty()) {
        return null;
      }
      ObjectNode out = Json.MAPPER.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      node.forEach(item -> {
        JsonNode value = prune(item);
        items.add(value == null ? Json.MAPPER.createObjectNode() : value);
      });
      if (items.isEmpty()) {
        return null;
      }
      ArrayNode out = Json.MAPPER.createArrayNode();
      items.forEach(out::add);
      return out;
    }
    return node;
  }

  private static String spell(long value) {
    StringBuilder out = new StringBuilder();
    do {
      out.append(ALPHABET.charAt((int) (value % ALPHABET.length())));
      value /= ALPHABET.length();
    } while (value > 0);
    return out.reverse().toString();
  }
}
