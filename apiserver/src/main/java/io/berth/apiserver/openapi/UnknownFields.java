package io.berth.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields of an object that its kind's schema does not define, as
 * kube-apiserver's strict decoding does for {@code fieldValidation=Strict}: each is named
 * by its path, {@code spec.template.spec.containers[0].imagee}, in document order.
 *
 * <p>Where a schema leaves an object open (no properties: RawExtension, FieldsV1,
 * {@code x-kubernetes-preserve-unknown-fields}), anything goes; map values are checked
 * against {@code additionalProperties}, list items against {@code items}.
 */
public final class UnknownFields {
  private final KubernetesDefinitions definitions;

  public UnknownFields(KubernetesDefinitions definitions) {
    this.definitions = definitions;
  }

  /**
   * The paths of the unknown fields of {@code object}, read as the schema {@code definition};
   * empty if there are none or the schema is not known.
   */
  public List<String> find(JsonNode object, String definition) {
    List<String> unknown = new ArrayList<>();
    definitions.schema(definition).ifPresent(schema -> walk(object, schema, "", unknown));
    return unknown;
  }

  private void walk(JsonNode value, JsonNode schema, String path, List<String> unknown) {
    schema = resolve(schema);
    if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.get("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (properties != null && properties.has(field.getKey())) {
          walk(field.getValue(), properties.get(field.getKey()), fieldPath, unknown);
        } else if (additional != null && additional.isObject()) {
          walk(field.getValue(), additional, fieldPath, unknown);
        } else if (properties != null) {
          unknown.add(fieldPath);
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        walk(value.get(i), schema.get("items"), path + "[" + i + "]", unknown);
      }
    }
  }

  /** Follows $ref, and the single reference of an allOf wrapper, to the schema that defines fields. */
  private JsonNode resolve(JsonNode schema) {
    for (int depth = 0; depth < 16 && schema != null; depth++) {
      if (schema.has("$ref")) {
        String name = schema.get("$ref").asText().substring(SwaggerToOpenApi3.V3_PREFIX.length());
        schema = definitions.schema(name).orElse(null);
      } else if (schema.has("allOf") && !schema.has("properties")) {
        schema = schema.get("allOf").get(0);
      } else {
        return schema;
      }
    }
    return schema;
  }
}
